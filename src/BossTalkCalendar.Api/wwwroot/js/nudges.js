// A nudge's state in words, shared by the reflection and follow-up cards.
/** @typedef {import("./session.js").Nudge} Nudge */
/** @typedef {import("./session.js").Meeting} Meeting */
import * as format from "./format.js";
import { t } from "./i18n.js";

/**
 * The pane's own words for the API's reason code (i18n keys nudge.reason.*, the API's sentences in every language),
 * else the API's reasonText (English only), else nothing.
 * @param {Nudge} nudge
 */
function reasonText(nudge) {
  const key = "nudge.reason." + nudge.reason;
  const ours = nudge.reason ? t(key) : key;
  return ours !== key ? ours : nudge.reasonText || "";
}

/**
 * The most recently changed nudge of one kind, or null.
 * @param {Nudge[] | null | undefined} nudges
 * @param {string} kind
 * @returns {Nudge | null}
 */
export function latest(nudges, kind) {
  return (nudges || [])
    .filter(function (n) { return n.kind === kind; })
    .sort(function (a, b) { return String(b.updatedAt).localeCompare(String(a.updatedAt)); })[0] || null;
}

/**
 * Fills a state paragraph; placed nudges get a <time> with the API's timestamp.
 * @param {HTMLElement} target
 * @param {Nudge | null} nudge
 * @param {{ none: string, planned: string, placed: string, skipped?: string, dismissed?: string, removed?: string }} words
 */
export function describe(target, nudge, words) {
  target.textContent = "";
  target.dataset.state = nudge ? nudge.state : "none";
  target.className = nudge && nudge.state === "placed" ? "state-placed" : nudge && (nudge.state === "noSlot" || nudge.state === "failed") ? "state-problem" : "";
  if (!nudge) {
    target.textContent = words.none;
    return;
  }
  const reason = reasonText(nudge);
  switch (nudge.state) {
    case "placed":
      target.appendChild(document.createTextNode(words.placed + " "));
      target.appendChild(format.timeElement(/** @type {string} */ (nudge.start), nudge.end, nudge.timeZone));
      target.appendChild(document.createTextNode(format.zoneLabel(nudge.timeZone) + "."));
      break;
    case "planned":
      target.textContent = words.planned;
      break;
    case "noSlot":
      target.textContent = t("nudge.noSlot", { reason: reason }).trim();
      break;
    case "failed":
      target.textContent = t("nudge.failed", { reason: reason || t("nudge.tryLater") });
      break;
    case "cancelled":
      target.textContent = t("nudge.cancelled", { reason: reason }).trim();
      break;
    case "skipped":
      target.textContent = words.skipped || t("nudge.skipped");
      break;
    case "dismissed":
      target.textContent = words.dismissed || t("nudge.dismissed");
      break;
    case "removed":
      target.textContent = words.removed || t("nudge.removed");
      break;
    default:
      target.textContent = nudge.state;
  }
}
