// The reflection card: the private block BossTalk places after a one-on-one, and "Place a reflection now".
import * as dom from "./dom.js";
import { t } from "./i18n.js";
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
  const optedOut = session.me && session.me.optedOut;
  let none;
  if (!meeting.isOneOnOne) {
    none = t("reflection.noneNotOneOnOne");
  } else if (!meeting.ended) {
    none = t("reflection.noneNotEnded");
  } else if (optedOut) {
    none = t("reflection.noneOptedOut");
  } else {
    none = t("reflection.noneYet");
  }
  nudges.describe($("reflection-state"), nudge, {
    none: none,
    planned: t("reflection.planned"),
    placed: t("reflection.placed"),
    dismissed: t("reflection.dismissed"),
    removed: t("reflection.removed"),
  });
  show("place-reflection", meeting.isOneOnOne && meeting.ended && !nudge && !optedOut);
  show("reflection", true);
}

export function wire() {
  $("place-reflection").addEventListener("click", function (event) {
    const button = /** @type {HTMLButtonElement} */ (event.currentTarget);
    dom.withBusy(button, async function () {
      dom.setStatus(t("reflection.placing"));
      const nudge = await api().post("/meetings/" + encodeURIComponent(String(session.eventId)) + "/reflection");
      render(/** @type {import("./session.js").Meeting} */ (session.meeting), nudge);
      dom.setStatus(nudge.state === "planned" ? t("reflection.planned") : "");
      polling.followInBackground(nudge, t("reflection.done"), $("reflection-progress"));
    });
  });
}

/** A different meeting is shown: last meeting's progress no longer applies. */
export function reset() {
  $("reflection-progress").textContent = "";
}
