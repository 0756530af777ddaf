// What the pane knows right now: its configuration, the signed-in API client, the caller, their team and the open
// meeting. This module is the only writer: others read `session.*` and change it through the setters below, and
// subscribe() to hear about a change (the sandbox preview marks the chosen meeting this way, for instance).

/**
 * @typedef {object} PaneConfig
 * @property {boolean} sandbox Sandbox mode: the preview page and the development sign-in are available.
 * @property {string | null} clientId
 * @property {string | null} scope
 * @property {string} authority
 * @property {string} apiBase
 */

/**
 * The add-in API's answers, as far as the pane reads them.
 * @typedef {{ id: string, kind: string, state: string, start?: string, end?: string, timeZone?: string,
 *   reason?: string, reasonText?: string, invite?: boolean, updatedAt?: string }} Nudge
 * @typedef {{ eventId: string, start: string, end: string, timeZone?: string, isOneOnOne: boolean, ended: boolean,
 *   reason?: string, outcome?: string | null, nudges?: Nudge[], coolDownEnd?: string, nextOneOnOneStart?: string }} Meeting
 * @typedef {{ coolDownMinutes?: number, reflectionMinutes?: number, counterpart?: string, paused?: boolean,
 *   sendAlert?: boolean, mode?: string, relationship?: string }} Preferences
 * @typedef {{ enrolled: boolean, optedOut: boolean, isManager?: boolean, timeZone?: string,
 *   preferences?: Preferences }} Me
 * @typedef {{ count?: number } | null} Figure
 * @typedef {{ state: string, approvedAt?: string, revokedAt?: string, enrolled?: Figure, optedOut?: Figure,
 *   activeThisMonth?: Figure }} Team
 * @typedef {{ get: (path: string) => Promise<any>, put: (path: string, body?: unknown) => Promise<any>,
 *   post: (path: string, body?: unknown) => Promise<any> }} Api
 */

/**
 * @typedef {object} State
 * @property {Api | null} api The signed-in API client.
 * @property {Me | null} me The caller (GET /me).
 * @property {Team | null} team The caller's team when they manage one.
 * @property {Meeting | null} meeting The meeting on the card.
 * @property {string | null} eventId The id the pane works on (the one-on-one's, once the API has answered).
 * @property {boolean} preview The sandbox's preview page (no Outlook) is what is running.
 */

const configElement = document.getElementById("taskpane-config");

/** @type {Readonly<PaneConfig>} */
export const config = Object.freeze(JSON.parse((configElement && configElement.textContent) || "{}"));

/** @type {State} */
const state = { api: null, me: null, team: null, meeting: null, eventId: null, preview: false };

/** @type {{ [K in keyof State]?: Array<(value: State[K]) => void> }} */
const subscribers = {};

/**
 * @template {keyof State} K
 * @param {K} key
 * @param {State[K]} value
 */
function set(key, value) {
  if (state[key] === value) {
    return;
  }
  state[key] = value;
  const listeners = /** @type {Array<(value: State[K]) => void>} */ (subscribers[key] || []);
  listeners.slice().forEach(function (listener) { listener(value); });
}

/**
 * Read-only view of the state (assigning to it throws): `session.me`, `session.eventId`, …
 * @type {Readonly<State>}
 */
export const session = Object.freeze({
  get api() { return state.api; },
  get me() { return state.me; },
  get team() { return state.team; },
  get meeting() { return state.meeting; },
  get eventId() { return state.eventId; },
  get preview() { return state.preview; },
});

/** @param {Api | null} api */
export function setApi(api) { set("api", api); }

/** @param {Me | null} me */
export function setMe(me) { set("me", me); }

/** @param {Team | null} team */
export function setTeam(team) { set("team", team); }

/** @param {Meeting | null} meeting */
export function setMeeting(meeting) { set("meeting", meeting); }

/** @param {string | null} eventId */
export function setEventId(eventId) { set("eventId", eventId); }

/** @param {boolean} preview */
export function setPreview(preview) { set("preview", preview); }

/**
 * Calls listener with the new value whenever `key` changes.
 * @template {keyof State} K
 * @param {K} key
 * @param {(value: State[K]) => void} listener
 */
export function subscribe(key, listener) {
  const listeners = /** @type {Array<(value: State[K]) => void>} */ (subscribers[key] = subscribers[key] || []);
  listeners.push(listener);
}

/** The signed-in API client; only called once sign-in has made one. */
export function api() {
  if (!state.api) {
    throw new Error("The pane called the API before signing in.");
  }
  return state.api;
}
