// The meeting card: which meeting is open, whether it counts as a one-on-one, and (through the reflection and
// follow-up cards) what BossTalk did or will do for it.
import * as dom from "./dom.js";
import { ApiError } from "./api.js";
import * as followUpCard from "./follow-up-card.js";
import * as format from "./format.js";
import { onChange, t } from "./i18n.js";
import * as nudges from "./nudges.js";
import * as outcome from "./outcome.js";
import * as reflectionCard from "./reflection-card.js";
import { api, session, setEventId, setMeeting } from "./session.js";
import * as timeline from "./timeline.js";

const $ = dom.$;
const show = dom.show;

// The API's reasons a meeting is not (yet) a one-on-one we act on (i18n keys meeting.why.*).
const whyNot = ["cancelled", "allDay", "seriesMaster", "notEnded", "tooLong", "declined", "notTwoPeople", "notWithManager", "noManager"];

export function hide() {
  ["meeting", "reflection", "follow-up"].forEach(function (id) { show(id, false); });
}

// The meeting last drawn: words about an earlier meeting (progress, an answer) are cleared when it changes.
/** @type {string | null} */
let drawnEventId = null;

// Loads started so far: a load answered after a later one was started is stale (it may predate an answer the later
// one already shows) and draws nothing.
let loads = 0;

/**
 * @param {string} eventId
 */
export async function load(eventId) {
  const mine = ++loads;
  setEventId(eventId);
  /** @type {import("./session.js").Meeting} */
  let meeting;
  try {
    meeting = await api().get("/meetings/" + encodeURIComponent(eventId));
  } catch (error) {
    if (mine !== loads) {
      return;
    }
    hide();
    if (error instanceof ApiError && error.status === 404) {
      throw new Error(t("meeting.notFound"), { cause: error });
    }
    if (error instanceof ApiError && error.status === 403 && session.me && !session.me.enrolled) {
      throw new Error(t("meeting.notOn"), { cause: error });
    }
    throw error;
  }
  if (mine !== loads) {
    return;
  }
  setMeeting(meeting);
  // A reflection block's id answers with its one-on-one: from here on the pane works on the meeting itself.
  if (meeting.eventId && meeting.eventId !== eventId) {
    setEventId(meeting.eventId);
  }
  render();
}

function render() {
  const meeting = /** @type {import("./session.js").Meeting} */ (session.meeting);
  $("meeting-when").textContent = format.formatRange(meeting.start, meeting.end, meeting.timeZone) + format.zoneLabel(meeting.timeZone);
  $("meeting-kind").textContent = meeting.isOneOnOne ? t("meeting.isOneOnOne") : t("meeting.notOneOnOne");
  const why = meeting.reason && whyNot.indexOf(meeting.reason) >= 0 ? t("meeting.why." + meeting.reason) : null;
  $("meeting-why").textContent = why || "";
  show("meeting-why", !!why && (!meeting.isOneOnOne || meeting.reason === "notEnded"));
  // Which meeting the card shows, for tests and tools that look at the page (the pane has no globals to ask).
  $("meeting").dataset.eventId = meeting.eventId;
  if (meeting.eventId !== drawnEventId) {
    drawnEventId = meeting.eventId;
    outcome.reset();
    reflectionCard.reset();
    followUpCard.reset();
  }
  outcome.render(meeting);
  timeline.render(meeting);
  show("meeting", true);
  reflectionCard.render(meeting, nudges.latest(meeting.nudges, "reflection"));
  followUpCard.render(meeting, nudges.latest(meeting.nudges, "followUp"));
}

const latestDays = 2;

/**
 * The send-time alert's "Find a time": shows the caller's most recent one-on-one that has ended and brings its
 * follow-up card forward, whatever item the pane was opened on.
 */
export async function loadLatestOneOnOne() {
  let meetings;
  try {
    meetings = await api().get("/meetings?days=" + latestDays);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      throw new Error(t("meeting.notOn"), { cause: error });
    }
    throw error;
  }
  const latest = meetings.filter(function (/** @type {import("./session.js").Meeting} */ m) { return m.isOneOnOne && m.ended; })[0];
  if (!latest) {
    throw new Error(t("meeting.latestNone"));
  }
  await load(latest.eventId);
  if (!$("follow-up").hidden) {
    dom.setStatus(t("meeting.latestFound"));
    $("follow-up-title").focus();
  }
}

// A language change in the preview: the meeting on screen is redrawn in the new words and date format.
onChange(function () {
  if (session.meeting && !$("meeting").hidden) {
    render();
  }
});
