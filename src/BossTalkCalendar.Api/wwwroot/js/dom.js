// Shared page helpers: elements by id, the status line, the error line, and busy buttons.
import { t } from "./i18n.js";
import { ApiError } from "./api.js";

/**
 * The element with this id; taskpane.html has every id the modules ask for (a missing one is a bug, and throws).
 * @param {string} id
 * @returns {HTMLElement}
 */
export function $(id) {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error("taskpane.html has no element #" + id + ".");
  }
  return element;
}

/**
 * A form control by id, typed as what it is.
 * @param {string} id
 * @returns {HTMLInputElement}
 */
export function input(id) {
  return /** @type {HTMLInputElement} */ ($(id));
}

/**
 * @param {string} id
 * @returns {HTMLSelectElement}
 */
export function select(id) {
  return /** @type {HTMLSelectElement} */ ($(id));
}

/**
 * @param {string} id
 * @returns {HTMLFormElement}
 */
export function form(id) {
  return /** @type {HTMLFormElement} */ ($(id));
}

/**
 * @param {string} id
 * @returns {HTMLButtonElement}
 */
export function button(id) {
  return /** @type {HTMLButtonElement} */ ($(id));
}

/**
 * @param {string} id
 * @param {boolean} visible
 */
export function show(id, visible) {
  $(id).hidden = !visible;
}

/** @param {string | null | undefined} text */
export function setStatus(text) {
  $("status").textContent = text || "";
}

/** @param {string | null | undefined} text */
export function setError(text) {
  const element = $("error");
  element.textContent = text || "";
  element.hidden = !text;
}

/**
 * @param {unknown} error
 * @returns {string}
 */
export function describeError(error) {
  if (error instanceof ApiError) {
    if (error.status === 401) {
      return t("error.unauthorized");
    }
    if (error.status === 403 && !error.detail) {
      return t("error.forbidden");
    }
    if (error.status === 429) {
      return t("error.tooMany");
    }
    return error.detail ? error.title + ". " + error.detail : error.title + ".";
  }
  const message = error && typeof error === "object" && "message" in error ? error.message : null;
  return message ? String(message) : t("error.generic");
}

/** @param {unknown} error */
export function fail(error) {
  setStatus("");
  setError(describeError(error));
}

// One action at a time across the whole pane.
let busy = false;

/**
 * Runs one action at a time across the pane, with its button disabled meanwhile; a failure is shown as the error.
 * @param {HTMLButtonElement} button
 * @param {() => Promise<void>} action
 */
export async function withBusy(button, action) {
  if (busy) {
    return;
  }
  busy = true;
  button.disabled = true;
  setError("");
  try {
    await action();
  } catch (error) {
    fail(error);
  } finally {
    busy = false;
    button.disabled = false;
  }
}
