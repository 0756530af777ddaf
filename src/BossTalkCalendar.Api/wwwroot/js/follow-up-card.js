// The follow-up card: asking for a casual or formal word with the manager, or skipping it.
import * as dom from "./dom.js";
import { onChange, t } from "./i18n.js";
import * as nudges from "./nudges.js";
import * as polling from "./polling.js";
import { api, session } from "./session.js";

const $ = dom.$;
const show = dom.show;

/**
 * @param {import("./session.js").Meeting} meeting
 * @param {import("./session.js").Nudge | null} nudge
 */
export function render(meeting, nudge) {
  const canAsk = meeting.isOneOnOne && meeting.ended;
  show("follow-up", canAsk);
  if (!canAsk) {
    return;
  }
  const invited = nudge && nudge.invite;
  nudges.describe($("follow-up-state"), nudge, {
    none: t("followUp.none"),
    planned: t("followUp.planned"),
    placed: invited ? t("followUp.placedInvited") : t("followUp.placedHeld"),
    skipped: t("followUp.skipped"),
  });
  show("follow-up-form", !nudge && !(session.me && session.me.optedOut));
}

export function wire() {
  $("invite-manager").addEventListener("change", function (event) {
    $("invite-warning").classList.toggle("emphasis", /** @type {HTMLInputElement} */ (event.currentTarget).checked);
  });

  $("follow-up-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const form = /** @type {HTMLFormElement} */ (event.currentTarget);
    const tone = /** @type {RadioNodeList} */ (form.elements.namedItem("tone")).value;
    const invite = dom.input("invite-manager").checked && tone !== "skip";
    dom.withBusy(dom.button("request-follow-up"), async function () {
      dom.setStatus(tone === "skip" ? t("followUp.skipping") : t("followUp.looking"));
      const nudge = await api().post("/meetings/" + encodeURIComponent(String(session.eventId)) + "/follow-up", { tone: tone, invite: invite });
      render(/** @type {import("./session.js").Meeting} */ (session.meeting), nudge);
      if (nudge.state === "skipped") {
        dom.setStatus(t("followUp.skipNoted"));
        return;
      }
      $("follow-up-suggestion").hidden = true;
      polling.followInBackground(nudge, invite ? t("followUp.doneInvited") : t("followUp.doneHeld"), $("follow-up-progress"));
    });
  });
}

/** @type {Record<string, string>} */
const suggestionKeys = {
  casual: "followUp.suggestCasual",
  formal: "followUp.suggestFormal",
  skip: "followUp.suggestSkip",
};

// The suggestion stays on screen across a language change in the preview: redraw it in the new language.
onChange(function () {
  const tone = $("follow-up-suggestion").dataset.tone || "";
  if (!$("follow-up-suggestion").hidden && suggestionKeys[tone]) {
    $("follow-up-suggestion").textContent = t(suggestionKeys[tone]);
  }
});

/**
 * After a rough one-on-one: brings the card forward with the API's suggested tone chosen. Does nothing when a
 * follow-up was already asked for (the form is hidden then) or the API suggests nothing.
 * @param {string | null | undefined} tone
 * @returns {boolean}
 */
export function suggest(tone) {
  const input = tone && /** @type {HTMLInputElement | null} */ (document.querySelector("#follow-up-form input[name=\"tone\"][value=\"" + tone + "\"]"));
  if (!input || $("follow-up").hidden || $("follow-up-form").hidden) {
    return false;
  }
  input.checked = true;
  $("follow-up-suggestion").textContent = t(suggestionKeys[tone]);
  $("follow-up-suggestion").dataset.tone = tone;
  $("follow-up-suggestion").hidden = false;
  $("follow-up-title").focus();
  return true;
}

/** A different meeting is shown: last meeting's suggestion and progress no longer apply. */
export function reset() {
  $("follow-up-suggestion").hidden = true;
  $("follow-up-suggestion").textContent = "";
  $("follow-up-progress").textContent = "";
  dom.input("tone-casual").checked = true;
}
