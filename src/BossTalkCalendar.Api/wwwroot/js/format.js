// Dates and times for people: always in the user's own mailbox zone when the API tells us one, written the way the
// pane's language writes them (locale() in i18n.js).
import { locale, t } from "./i18n.js";

/**
 * @param {Intl.DateTimeFormatOptions} options
 * @param {string | null | undefined} timeZone
 */
function formatter(options, timeZone) {
  const tag = locale();
  try {
    return new Intl.DateTimeFormat(tag, Object.assign({}, options, timeZone ? { timeZone: timeZone } : {}));
  } catch (e) {
    // An unknown zone name must not break the pane; the browser's own zone is the next best thing.
    return new Intl.DateTimeFormat(tag, options);
  }
}

/** @type {Intl.DateTimeFormatOptions} */
const dayOptions = { weekday: "short", day: "numeric", month: "short" };
/** @type {Intl.DateTimeFormatOptions} */
const timeOptions = { hour: "2-digit", minute: "2-digit" };

/**
 * @param {Date} a
 * @param {Date} b
 * @param {string | null | undefined} timeZone
 */
function sameDay(a, b, timeZone) {
  const day = formatter({ year: "numeric", month: "2-digit", day: "2-digit" }, timeZone);
  return day.format(a) === day.format(b);
}

/**
 * "Tue, 25 Nov, 14:00–14:30" (the end's date only when it differs).
 * @param {string} startIso
 * @param {string | null | undefined} endIso
 * @param {string | null | undefined} timeZone
 */
export function formatRange(startIso, endIso, timeZone) {
  const start = new Date(startIso);
  const end = endIso ? new Date(endIso) : null;
  let text = formatter(dayOptions, timeZone).format(start) + ", " + formatter(timeOptions, timeZone).format(start);
  if (end) {
    text += sameDay(start, end, timeZone)
      ? "–" + formatter(timeOptions, timeZone).format(end)
      : " – " + formatter(dayOptions, timeZone).format(end) + ", " + formatter(timeOptions, timeZone).format(end);
  }
  return text;
}

/**
 * "Tue 14:30–15:00", or "Tue 14:30" without an end: short enough for a progress line or the timeline.
 * withDate adds the date ("Tue 9 Dec 14:30–15:00"), for a day that isn't the one being talked about.
 * @param {string} startIso
 * @param {string | null | undefined} endIso
 * @param {string | null | undefined} timeZone
 * @param {boolean} [withDate]
 */
export function formatShort(startIso, endIso, timeZone, withDate) {
  const day = formatter(withDate ? dayOptions : { weekday: "short" }, timeZone);
  const time = formatter(timeOptions, timeZone);
  const start = new Date(startIso);
  if (!endIso) {
    return day.format(start) + " " + time.format(start);
  }
  const end = new Date(endIso);
  return sameDay(start, end, timeZone)
    ? day.format(start) + " " + time.format(start) + "–" + time.format(end)
    : day.format(start) + " " + time.format(start) + " – " + day.format(end) + " " + time.format(end);
}

/**
 * Whether two of the API's timestamps fall on the same day in the given zone.
 * @param {string} isoA
 * @param {string} isoB
 * @param {string | null | undefined} timeZone
 */
export function isSameDay(isoA, isoB, timeZone) {
  return sameDay(new Date(isoA), new Date(isoB), timeZone);
}

/**
 * A <time> element whose machine-readable value is the API's own timestamp.
 * @param {string} startIso
 * @param {string | null | undefined} endIso
 * @param {string | null | undefined} timeZone
 */
export function timeElement(startIso, endIso, timeZone) {
  const element = document.createElement("time");
  element.dateTime = startIso;
  element.textContent = formatRange(startIso, endIso, timeZone);
  return element;
}

/**
 * @param {string | null | undefined} timeZone
 */
export function zoneLabel(timeZone) {
  let browserZone;
  try {
    browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    browserZone = null;
  }
  return timeZone && timeZone !== browserZone ? t("format.zone", { zone: timeZone.replace(/_/g, " ") }) : "";
}

/**
 * A <time> for a day only ("25 November 2026"), in the given zone or the browser's own.
 * @param {string} iso
 * @param {string | null | undefined} timeZone
 */
export function dateElement(iso, timeZone) {
  const element = document.createElement("time");
  element.dateTime = iso;
  element.textContent = formatter({ day: "numeric", month: "long", year: "numeric" }, timeZone).format(new Date(iso));
  return element;
}
