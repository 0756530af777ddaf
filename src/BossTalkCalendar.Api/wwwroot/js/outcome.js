// "How did it go?" on the meeting card: Fine, Mixed or Rough after an ended one-on-one, asked privately, and the
// same answer given through a link in the reflection block (taskpane.html?eventId=…&outcome=fine|rough), which the
// pane asks the person to confirm before it acts: a link someone else sent must not answer for them.
/** @typedef {import("./session.js").Nudge} Nudge */
/** @typedef {{ outcome: string, changed?: Nudge[], suggestedTone?: string | null }} OutcomeAnswer */
import * as dom from "./dom.js";
import * as followUpCard from "./follow-up-card.js";
import { onChange, t } from "./i18n.js";
import { load as loadMeeting } from "./meeting-card.js";
import * as nudges from "./nudges.js";
import * as polling from "./polling.js";
import { api, session } from "./session.js";

const $ = dom.$;
const show = dom.show;

const outcomes = ["fine", "mixed", "rough"];

/**
 * @param {import("./session.js").Meeting} meeting
 */
export function render(meeting) {
  // Only for an ended one-on-one, and only when the API knows outcomes at all.
  const canAsk = meeting.isOneOnOne && meeting.ended && "outcome" in meeting;
  show("outcome", canAsk);
  if (!canAsk) {
    return;
  }
  const recorded = meeting.outcome && outcomes.indexOf(meeting.outcome) >= 0 ? meeting.outcome : null;
  $("outcome").dataset.outcome = recorded || "none";
  $("outcome-question").textContent = recorded
    ? t("outcome.said" + recorded.charAt(0).toUpperCase() + recorded.slice(1))
    : t("outcome.question");
  outcomes.forEach(function (outcome) {
    $("outcome-" + outcome).setAttribute("aria-pressed", outcome === recorded ? "true" : "false");
  });
}

/**
 * @param {Nudge | null} nudge
 */
function placedAndNotStarted(nudge) {
  return !!(nudge && nudge.state === "placed" && nudge.start && new Date(nudge.start).getTime() > Date.now());
}

/**
 * @param {OutcomeAnswer} result
 * @param {Nudge | null} reflectionBefore
 */
function resultText(result, reflectionBefore) {
  const changed = result.changed || [];
  const reflectionGone = changed.some(function (/** @type {Nudge} */ n) {
    return n.kind === "reflection" && (n.state === "dismissed" || n.state === "removed");
  });
  switch (result.outcome) {
    case "fine":
      return reflectionGone && placedAndNotStarted(reflectionBefore) ? t("outcome.fineRemoved") : t("outcome.fineDone");
    case "mixed":
      return reflectionBefore && reflectionBefore.state === "placed" ? t("outcome.mixedKept") : t("outcome.mixedDone");
    case "rough":
      return reflectionBefore && reflectionBefore.state === "placed" ? t("outcome.roughKept") : t("outcome.roughDone");
    default:
      return t("outcome.noted");
  }
}

/**
 * PUT the outcome for the meeting on the card, redraw it, and say what it means.
 * @param {string} outcome
 */
async function record(outcome) {
  const meeting = /** @type {import("./session.js").Meeting} */ (session.meeting);
  const reflectionBefore = nudges.latest(meeting.nudges, "reflection");
  $("outcome-result").textContent = "";
  dom.setStatus("");
  const result = await api().put("/meetings/" + encodeURIComponent(meeting.eventId) + "/outcome", { outcome: outcome });
  await loadMeeting(String(session.eventId));
  $("outcome-result").textContent = resultText(result, reflectionBefore);
  if (result.outcome === "rough") {
    followUpCard.suggest(result.suggestedTone);
  }
  // The prep block is placed by a job like any other nudge: follow it quietly, so the timeline shows it once placed.
  const prep = (result.changed || []).filter(function (/** @type {Nudge} */ n) { return n.kind === "prep" && n.state === "planned"; })[0];
  if (prep) {
    polling.followInBackground(prep, t("outcome.prepPlaced"));
  }
}

// The answers a reflection block's links carry.
const linkOutcomes = ["fine", "rough"];

/** The answer a link asks to give, waiting for the person's yes; null when none is waiting. */
/** @type {string | null} */
let pending = null;

/**
 * A reflection block's link carries ?eventId=…&outcome=fine|rough. Called only once start-up (sign-in, the meeting)
 * has succeeded. Opening the address changes nothing by itself: the pane asks once whether to give that answer and
 * sends it only on "Yes". The parameter leaves the address before the question is asked, so a reload never asks
 * (or sends) twice.
 */
export async function fromAddress() {
  const params = new URLSearchParams(window.location.search);
  const outcome = params.get("outcome");
  if (outcome === null) {
    return;
  }
  params.delete("outcome");
  const query = params.toString();
  window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  if (linkOutcomes.indexOf(outcome) < 0) {
    return;
  }
  const eventId = params.get("eventId");
  if (eventId && (!session.meeting || (eventId !== session.eventId && eventId !== session.meeting.eventId))) {
    await loadMeeting(eventId);
  }
  if (!session.meeting || $("outcome").hidden) {
    return;
  }
  ask(outcome, session.meeting);
}

/**
 * Shows the question for a link's answer: for "fine", whether to remove the reflection block when one is placed and
 * still to come, else whether to tell BossTalk it went fine; for "rough", whether to tell BossTalk it was rough.
 * @param {string} outcome
 * @param {import("./session.js").Meeting} meeting
 */
function ask(outcome, meeting) {
  pending = outcome;
  const reflection = nudges.latest(meeting.nudges, "reflection");
  const question = outcome === "rough"
    ? "outcome.confirmRough"
    : placedAndNotStarted(reflection) ? "outcome.confirmFine" : "outcome.confirmFineNoBlock";
  $("outcome-confirm-question").textContent = t(question);
  $("outcome-confirm").dataset.outcome = outcome;
  $("outcome-confirm").dataset.question = question;
  show("outcome-confirm", true);
  $("outcome-confirm-question").focus();
}

/**
 * Hides the question; returnFocus (after "No") puts the focus on the answer the link named, among the others.
 * @param {boolean} returnFocus
 */
function closeQuestion(returnFocus) {
  const asked = pending;
  pending = null;
  show("outcome-confirm", false);
  $("outcome-confirm").dataset.outcome = "";
  if (returnFocus && asked) {
    $("outcome-" + asked).focus();
  }
}

/** A different meeting is shown: the last answer's words, and any question about a link, no longer apply. */
export function reset() {
  $("outcome-result").textContent = "";
  closeQuestion(false);
}

export function wire() {
  outcomes.forEach(function (outcome) {
    $("outcome-" + outcome).addEventListener("click", function (event) {
      // An answer of the person's own replaces the one a link asked about.
      closeQuestion(false);
      dom.withBusy(/** @type {HTMLButtonElement} */ (event.currentTarget), async function () {
        await record(outcome);
      });
    });
  });

  $("outcome-confirm-yes").addEventListener("click", function (event) {
    const outcome = pending;
    closeQuestion(false);
    if (!outcome) {
      return;
    }
    dom.withBusy(/** @type {HTMLButtonElement} */ (event.currentTarget), async function () {
      await record(outcome);
    });
  });

  $("outcome-confirm-no").addEventListener("click", function () {
    closeQuestion(true);
  });
}

// A language change in the preview: a question still waiting is asked again in the new words.
onChange(function () {
  const question = $("outcome-confirm").dataset.question;
  if (pending && question) {
    $("outcome-confirm-question").textContent = t(question);
  }
});
