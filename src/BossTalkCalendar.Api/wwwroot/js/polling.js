// After a 202: ask for the nudge until its job is done (or give up politely), then redraw the meeting.
/** @typedef {import("./session.js").Nudge} Nudge */
/** @typedef {import("./session.js").Meeting} Meeting */
import * as dom from "./dom.js";
import { formatShort } from "./format.js";
import { t } from "./i18n.js";
import { load as loadMeeting } from "./meeting-card.js";
import { api, session } from "./session.js";

const pollIntervalMs = 1000;
const pollTimeoutMs = 30000;

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
function delay(ms) {
  return new Promise(function (resolve) { setTimeout(resolve, ms); });
}

/**
 * Short progress for a nudge just asked for: "Asked…", "Finding a time…", "Placed: Tue 14:30–15:00".
 * @param {Nudge} nudge
 * @param {boolean} justAsked
 */
export function progressText(nudge, justAsked) {
  switch (nudge.state) {
    case "planned":
      return justAsked ? t("progress.asked") : t("progress.finding");
    case "placed":
      return nudge.start ? t("progress.placedAt", { when: formatShort(nudge.start, nudge.end, nudge.timeZone) }) : t("progress.placed");
    default:
      // The card's own state line says what happened instead.
      return "";
  }
}

/**
 * Runs outside withBusy, so the other buttons (opt out in particular) stay usable while a job waits.
 * progressElement (optional) gets a short line on every answer. Resolves to the nudge's last known state.
 * @param {Nudge} nudge
 * @param {string} doneText
 * @param {HTMLElement} [progressElement]
 * @returns {Promise<Nudge>}
 */
export async function follow(nudge, doneText, progressElement) {
  const eventId = session.eventId;
  const started = Date.now();
  const report = function (/** @type {Nudge} */ current, /** @type {boolean} */ justAsked) {
    if (progressElement && session.eventId === eventId) {
      progressElement.textContent = progressText(current, justAsked);
    }
  };
  report(nudge, true);
  while (nudge.state === "planned" && Date.now() - started < pollTimeoutMs) {
    await delay(pollIntervalMs);
    nudge = await api().get("/nudges/" + encodeURIComponent(nudge.id));
    report(nudge, false);
  }
  if (session.eventId !== eventId) {
    return nudge;
  }
  await loadMeeting(String(eventId));
  if (nudge.state === "planned") {
    dom.setStatus(t("progress.stillWorking"));
  } else if (nudge.state === "placed") {
    dom.setStatus(doneText);
  } else if (nudge.state === "noSlot" || nudge.state === "failed") {
    dom.setStatus("");
  }
  return nudge;
}

/**
 * @param {Nudge} nudge
 * @param {string} doneText
 * @param {HTMLElement} [progressElement]
 */
export function followInBackground(nudge, doneText, progressElement) {
  follow(nudge, doneText, progressElement).catch(dom.fail);
}
