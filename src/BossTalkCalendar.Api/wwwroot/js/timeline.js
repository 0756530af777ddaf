// A small timeline on the meeting card, in the person's own time: the meeting, the cool-down, the reflection,
// the follow-up and the prep before the next one-on-one, each only when known. The ordered list is the text
// version for screen readers; the bar beside it is for the eye only (aria-hidden).
/** @typedef {import("./session.js").Nudge} Nudge */
/** @typedef {import("./session.js").Meeting} Meeting */
import * as dom from "./dom.js";
import * as format from "./format.js";
import { t } from "./i18n.js";
import * as nudges from "./nudges.js";

const $ = dom.$;

/**
 * @param {Meeting} meeting
 * @param {string} kind
 */
function placed(meeting, kind) {
  const nudge = nudges.latest(meeting.nudges, kind);
  return nudge && nudge.state === "placed" && nudge.start ? nudge : null;
}

/**
 * The items to show, in time order.
 * @param {Meeting} meeting
 * @returns {Array<{ kind: string, label: string, start: string, end?: string | null }>}
 */
function itemsOf(meeting) {
  /** @type {Array<{ kind: string, label: string, start: string, end?: string | null }>} */
  const items = [{ kind: "meeting", label: t("timeline.meeting"), start: meeting.start, end: meeting.end }];
  if (meeting.coolDownEnd) {
    items.push({ kind: "coolDown", label: t("timeline.coolDown"), start: meeting.end, end: meeting.coolDownEnd });
  }
  ["reflection", "followUp", "prep"].forEach(function (kind) {
    const nudge = placed(meeting, kind);
    if (nudge) {
      items.push({ kind: kind, label: t("timeline." + kind), start: /** @type {string} */ (nudge.start), end: nudge.end });
    }
  });
  if (meeting.nextOneOnOneStart) {
    items.push({ kind: "next", label: t("timeline.next"), start: meeting.nextOneOnOneStart, end: null });
  }
  return items
    .map(function (item, index) { return { item: item, index: index, at: new Date(item.start).getTime() }; })
    .sort(function (a, b) { return a.at - b.at || a.index - b.index; })
    .map(function (entry) { return entry.item; });
}

/**
 * @param {Meeting} meeting
 */
export function render(meeting) {
  const show = meeting.isOneOnOne;
  dom.show("timeline-area", show);
  const list = $("timeline-list");
  const bar = $("timeline");
  list.textContent = "";
  bar.textContent = "";
  if (!show) {
    return;
  }
  itemsOf(meeting).forEach(function (item) {
    const when = format.formatShort(item.start, item.end, meeting.timeZone, !format.isSameDay(item.start, meeting.start, meeting.timeZone));

    const entry = document.createElement("li");
    entry.dataset.kind = item.kind;
    entry.appendChild(document.createTextNode(t("timeline.item", { label: item.label })));
    const time = document.createElement("time");
    time.dateTime = item.start;
    time.textContent = when;
    entry.appendChild(time);
    list.appendChild(entry);

    const stop = document.createElement("div");
    stop.className = "timeline-item";
    stop.dataset.kind = item.kind;
    const label = document.createElement("span");
    label.className = "timeline-label";
    label.textContent = item.label;
    const at = document.createElement("span");
    at.className = "timeline-time";
    at.textContent = when;
    stop.appendChild(label);
    stop.appendChild(at);
    bar.appendChild(stop);
  });
}
