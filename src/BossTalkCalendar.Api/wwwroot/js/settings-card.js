// The caller's own settings: the preferences card and the taking-part card (opt out, opt back in).
import * as dom from "./dom.js";
import { ApiError } from "./api.js";
import { locale, onChange, t } from "./i18n.js";
import { load as loadMeeting } from "./meeting-card.js";
import { api, session, setMe } from "./session.js";
import * as teamCard from "./team-card.js";

const $ = dom.$;
const show = dom.show;

/** Reads /me, fills both cards, then the team card (which depends on who the caller is). */
export async function load() {
  setMe(await api().get("/me"));
  render();
  await teamCard.load();
}

function render() {
  const me = /** @type {import("./session.js").Me} */ (session.me);
  const prefs = me.preferences || {};
  // A missing number leaves the field empty, as the browser sanitizes "undefined" away from a number input.
  dom.input("pref-cooldown").value = String(prefs.coolDownMinutes);
  dom.input("pref-length").value = String(prefs.reflectionMinutes);
  dom.input("pref-counterpart-manager").checked = prefs.counterpart !== "anyOne";
  dom.input("pref-counterpart-anyone").checked = prefs.counterpart === "anyOne";
  dom.input("pref-paused").checked = !!prefs.paused;
  dom.input("pref-send-alert").checked = prefs.sendAlert !== false;
  checkRadio("mode", prefs.mode);
  checkRadio("relationship", prefs.relationship);
  // Shown only when the API knows these settings (an older service would refuse them).
  show("pref-mode-group", "mode" in prefs);
  show("pref-relationship-group", "relationship" in prefs);
  show("pref-send-alert-choice", "sendAlert" in prefs);
  show("preferences", true);

  const text = me.optedOut
    ? t("participation.optedOut")
    : me.enrolled
      ? (prefs.paused ? t("participation.paused") : t("participation.on"))
      : t("participation.notYet");
  $("participation-state").textContent = text;
  show("opt-out", !me.optedOut);
  show("opt-in", me.optedOut);
  show("participation", true);
}

/**
 * Checks the radio of a group whose value matches; none when the value is null or unknown.
 * @param {string} name
 * @param {string | null | undefined} value
 */
function checkRadio(name, value) {
  $("preferences-form").querySelectorAll("input[name=\"" + name + "\"]").forEach(function (element) {
    const input = /** @type {HTMLInputElement} */ (element);
    input.checked = input.value === value;
  });
}

/**
 * @param {string} name
 * @returns {string | null}
 */
function checkedValue(name) {
  const checked = /** @type {HTMLInputElement | null} */ ($("preferences-form").querySelector("input[name=\"" + name + "\"]:checked"));
  return checked ? checked.value : null;
}

/** The PUT body: only what the form holds; mode and relationship only where the API has them and one is chosen. */
function preferencesBody() {
  const prefs = (session.me && session.me.preferences) || {};
  /** @type {Record<string, string | number | boolean>} */
  const body = {
    coolDownMinutes: Number(dom.input("pref-cooldown").value),
    reflectionMinutes: Number(dom.input("pref-length").value),
    counterpart: dom.input("pref-counterpart-anyone").checked ? "anyOne" : "manager",
    paused: dom.input("pref-paused").checked,
  };
  if ("sendAlert" in prefs) {
    body.sendAlert = dom.input("pref-send-alert").checked;
  }
  ["mode", "relationship"].forEach(function (name) {
    const value = checkedValue(name);
    if (name in prefs && value) {
      body[name] = value;
    }
  });
  return body;
}

async function reloadAfterParticipationChange() {
  await load();
  if (session.eventId) {
    await loadMeeting(session.eventId);
  }
}

export function wire() {
  $("preferences-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const form = /** @type {HTMLFormElement} */ (event.currentTarget);
    if (!form.reportValidity()) {
      return;
    }
    dom.withBusy(dom.button("save-preferences"), async function () {
      try {
        const saved = await api().put("/me/preferences", preferencesBody());
        setMe(Object.assign({}, session.me, { preferences: saved }));
        render();
        dom.setStatus(t("prefs.saved"));
      } catch (error) {
        if (error instanceof ApiError && error.errors) {
          const errors = error.errors;
          const messages = Object.keys(errors).map(function (key) { return errors[key].join(" "); });
          throw new Error(t("prefs.check", { details: messages.join(" ") }), { cause: error });
        }
        throw error;
      }
    });
  });

  $("opt-out").addEventListener("click", function (event) {
    dom.withBusy(/** @type {HTMLButtonElement} */ (event.currentTarget), async function () {
      const result = await api().post("/me/opt-out");
      await reloadAfterParticipationChange();
      const count = result.cancelledNudges || 0;
      // The language's own plural rule: French says "0 élément", English "0 items".
      const one = new Intl.PluralRules(locale()).select(count) === "one";
      dom.setStatus(one ? t("participation.optedOutOne", { count: count }) : t("participation.optedOutMany", { count: count }));
      $("opt-in").focus();
    });
  });

  $("opt-in").addEventListener("click", function (event) {
    dom.withBusy(/** @type {HTMLButtonElement} */ (event.currentTarget), async function () {
      await api().post("/me/opt-in");
      await reloadAfterParticipationChange();
      dom.setStatus(t("participation.welcomeBack"));
      $("opt-out").focus();
    });
  });
}

// A language change in the preview: the participation line is redrawn (the form's labels are static text).
onChange(function () {
  if (session.me && !$("participation").hidden) {
    render();
  }
});
