// The pane's languages: one catalog per language (wwwroot/i18n/{code}.json, inlined into the page at start-up), t(key,
// params) to read one, and the static text of taskpane.html marked with data-i18n (text) and data-i18n-attr
// ("aria-label:key"). The language is Office's display language inside Outlook, the browser's elsewhere, a choice in
// the sandbox preview; English when we have no catalog for it. "qps-ploc" is a pseudo-locale made from English at run
// time (accented and 40 % longer), offered only in the sandbox preview, to see that longer languages still fit.
import { config } from "./session.js";

const catalogElement = document.getElementById("taskpane-i18n");
/** @type {Record<string, Record<string, string>>} */
const catalogs = JSON.parse((catalogElement && catalogElement.textContent) || "{}");
// The pseudo-locale and ?lang= exist for the sandbox's preview and tests only.
const sandbox = !!config.sandbox;
const fallback = "en";
export const pseudoLocale = "qps-ploc";
/** @type {Array<(language: string) => void>} */
const listeners = [];

let language_ = fallback;
// The locale dates are written in: the full tag we were given when it is of the chosen language (de-AT), else the language.
let locale_ = fallback;

// Letters as a pseudo-locale writes them: readable, but obviously not English.
/** @type {Record<string, string>} */
const accents = {
  a: "á", b: "ƀ", c: "ç", d: "ð", e: "é", f: "ƒ", g: "ĝ", h: "ĥ", i: "í", j: "ĵ", k: "ķ", l: "ļ", m: "ɱ",
  n: "ñ", o: "ó", p: "þ", q: "ǫ", r: "ŕ", s: "š", t: "ţ", u: "ú", v: "ṽ", w: "ŵ", x: "ẋ", y: "ý", z: "ž",
  A: "Á", B: "Ɓ", C: "Ç", D: "Ð", E: "É", F: "Ƒ", G: "Ĝ", H: "Ĥ", I: "Í", J: "Ĵ", K: "Ķ", L: "Ļ", M: "Ṁ",
  N: "Ñ", O: "Ó", P: "Þ", Q: "Ǫ", R: "Ŕ", S: "Š", T: "Ţ", U: "Ú", V: "Ṽ", W: "Ŵ", X: "Ẋ", Y: "Ý", Z: "Ž",
};
const padWords = ["ļóŕéɱ", "íþšúɱ", "ðóļóŕ", "šíţ", "áɱéţ", "çóñšéç", "ţéţúŕ"];

/**
 * English made 40 % longer (at least) and accented; {placeholders} stay as they are.
 * @param {string} text
 */
export function pseudo(text) {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const close = text[i] === "{" ? text.indexOf("}", i) : -1;
    if (close > i) {
      out += text.slice(i, close + 1);
      i = close;
    } else {
      out += accents[text[i]] || text[i];
    }
  }
  const wanted = Math.ceil(text.length * 1.4);
  let pad = "";
  for (let n = 0; out.length + pad.length + 2 < wanted; n++) {
    pad += " " + padWords[n % padWords.length];
  }
  return "[" + out + pad + "]";
}

function pseudoCatalog() {
  const english = catalogs[fallback];
  /** @type {Record<string, string>} */
  const made = {};
  Object.keys(english).forEach(function (key) { made[key] = pseudo(english[key]); });
  return made;
}

/**
 * The catalog's language for a BCP 47 tag ("de-AT" → "de"), or null when we have none.
 * @param {string | null | undefined} tag
 * @returns {string | null}
 */
export function languageOf(tag) {
  if (!tag) {
    return null;
  }
  const lower = String(tag).toLowerCase();
  if (lower === pseudoLocale) {
    return sandbox ? pseudoLocale : null;
  }
  const code = lower.split(/[-_]/)[0];
  return Object.prototype.hasOwnProperty.call(catalogs, code) ? code : null;
}

/**
 * Chooses the language for a tag (English when we have no catalog for it), then redraws what is on screen.
 * @param {string} tag
 */
export function setLanguage(tag) {
  const chosen = languageOf(tag) || fallback;
  if (chosen === pseudoLocale && !catalogs[pseudoLocale]) {
    catalogs[pseudoLocale] = pseudoCatalog();
  }
  language_ = chosen;
  locale_ = chosen === pseudoLocale ? fallback : (languageOf(tag) === chosen && isValidLocale(tag) ? String(tag).replace("_", "-") : chosen);
  document.documentElement.lang = chosen === pseudoLocale ? "en-XA" : locale_;
  apply(document);
  listeners.forEach(function (listener) { listener(language_); });
  return language_;
}

/** @param {string} tag */
function isValidLocale(tag) {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([String(tag).replace("_", "-")]).length > 0;
  } catch (e) {
    return false;
  }
}

/**
 * The text of a key in the current language with its {name} placeholders filled; English, then the key, when missing.
 * @param {string} key
 * @param {Record<string, string | number>} [params]
 * @returns {string}
 */
export function t(key, params) {
  const catalog = catalogs[language_] || catalogs[fallback];
  let text = Object.prototype.hasOwnProperty.call(catalog, key) ? catalog[key] : catalogs[fallback][key];
  if (text === undefined) {
    return key;
  }
  if (params) {
    text = text.replace(/\{([A-Za-z0-9_]+)\}/g, function (/** @type {string} */ whole, /** @type {string} */ name) {
      return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
    });
  }
  return text;
}

/**
 * Fills every data-i18n element (its text) and data-i18n-attr element ("attr:key;attr:key") under root.
 * @param {ParentNode} root
 */
export function apply(root) {
  root.querySelectorAll("[data-i18n]").forEach(function (element) {
    element.textContent = t(/** @type {HTMLElement} */ (element).dataset.i18n || "");
  });
  root.querySelectorAll("[data-i18n-attr]").forEach(function (element) {
    (/** @type {HTMLElement} */ (element).dataset.i18nAttr || "").split(";").forEach(function (pair) {
      const parts = pair.split(":");
      if (parts.length === 2) {
        element.setAttribute(parts[0].trim(), t(parts[1].trim()));
      }
    });
  });
}

/**
 * Called with the new language whenever it changes, so a card can redraw its dynamic text.
 * @param {(language: string) => void} listener
 */
export function onChange(listener) {
  listeners.push(listener);
}

/**
 * A language's name in itself ("Deutsch", "日本語"), so nobody has to read a foreign word to find their own.
 * @param {string} code
 */
function ownName(code) {
  try {
    const name = new Intl.DisplayNames([code], { type: "language" }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(code) + name.slice(1) : code;
  } catch (e) {
    return code;
  }
}

/** The languages the preview offers: every catalog, English first, each in its own name; the pseudo-locale last. */
export function choices() {
  return Object.keys(catalogs)
    .filter(function (code) { return code !== pseudoLocale; })
    .sort(function (a, b) { return (a === fallback ? -1 : 0) - (b === fallback ? -1 : 0) || a.localeCompare(b); })
    .map(function (code) { return { code: code, name: ownName(code) }; })
    .concat([{ code: pseudoLocale, name: "Pseudo (qps-ploc)" }]);
}

/** The language on screen (a catalog's code, or the pseudo-locale). */
export function language() {
  return language_;
}

/** The locale dates and numbers are written in. */
export function locale() {
  return locale_;
}

// Until Office tells us its display language: the browser's. A sandbox preview link may ask for one (?lang=de).
const asked = sandbox ? new URLSearchParams(window.location.search).get("lang") : null;
setLanguage(asked || (navigator.languages && navigator.languages[0]) || navigator.language || fallback);
