// BossTalk task pane: start-up and wiring, the one entry module (taskpane.html loads it with <script type="module">;
// everything else is imported from here). Works inside Outlook (Office.js, a classic script loaded before the
// modules) and, in the sandbox, as a preview page in a plain browser. The cards live in js/*-card.js; the sandbox's
// preview and development sign-in in js/preview/, imported only when the server says it runs in sandbox mode.
import { createApi } from "./js/api.js";
import { forOutlook, SignInError } from "./js/auth.js";
import * as dom from "./js/dom.js";
import * as followUpCard from "./js/follow-up-card.js";
import { setLanguage } from "./js/i18n.js";
import * as item from "./js/item.js";
import * as meetingCard from "./js/meeting-card.js";
import * as outcome from "./js/outcome.js";
import * as reflectionCard from "./js/reflection-card.js";
import { config, setApi } from "./js/session.js";
import * as settingsCard from "./js/settings-card.js";
import * as teamCard from "./js/team-card.js";

const officeReadyTimeoutMs = 5000;

/** @returns {Promise<typeof Office | null>} */
function officeReady() {
  if (typeof Office === "undefined" || typeof Office.onReady !== "function") {
    return Promise.resolve(null);
  }
  /** @type {Promise<null>} */
  const timeout = new Promise(function (resolve) { setTimeout(function () { resolve(null); }, officeReadyTimeoutMs); });
  const ready = Office.onReady().then(function () {
    return Office.context && Office.context.mailbox ? Office : null;
  }, function () { return null; });
  return Promise.race([ready, timeout]);
}

/**
 * The sandbox's preview module, or null outside sandbox mode (where the server does not even serve it).
 * @returns {Promise<typeof import("./js/preview/preview.js") | null>}
 */
function sandboxPreview() {
  return config.sandbox ? import("./js/preview/preview.js") : Promise.resolve(null);
}

async function start() {
  const office = await officeReady();
  const preview = await sandboxPreview();
  dom.show("loading", false);
  if (office) {
    // Outlook's own display language ("de-DE"), English when we have no catalog for it.
    if (office.context.displayLanguage) {
      setLanguage(office.context.displayLanguage);
    }
    await startInOutlook(preview);
  } else if (preview) {
    await preview.start(outcome.fromAddress);
  } else {
    dom.show("open-in-outlook", true);
  }
}

/** @param {typeof import("./js/preview/preview.js") | null} preview */
async function startInOutlook(preview) {
  setApi(createApi(config.apiBase, forOutlook(config, preview && preview.signInForMailbox)));
  /** @type {unknown} */
  let problem = null;
  try {
    await settingsCard.load();
  } catch (error) {
    problem = error;
  }
  // After a failed sign-in a second attempt would only prompt the person again.
  if (!(problem instanceof SignInError)) {
    try {
      // Opened from the send-time alert, or while writing a message: the last one-on-one's follow-up is what helps.
      const context = await item.initializationContext();
      if ((context && context.source === "sendAlert") || item.isMessage()) {
        await meetingCard.loadLatestOneOnOne();
      } else {
        await meetingCard.load(await item.currentEventId());
      }
    } catch (error) {
      problem = problem || error;
    }
  }
  if (problem) {
    dom.fail(problem);
    return;
  }
  // Only now, signed in and with the meeting shown, may an answer carried in the address be offered.
  await outcome.fromAddress();
  followSendAlerts();
}

/**
 * The send-time alert's "Find a time" while the pane is already open: Outlook does not reload the pane but raises
 * InitializationContextChanged with the new context (initializationContextData, Mailbox 1.15).
 */
function followSendAlerts() {
  const current = Office.context.mailbox && Office.context.mailbox.item;
  const type = Office.EventType && Office.EventType.InitializationContextChanged;
  if (!current || !type || typeof current.addHandlerAsync !== "function") {
    return;
  }
  current.addHandlerAsync(type, function (/** @type {{ initializationContextData?: string }} */ event) {
    let context;
    try {
      context = JSON.parse((event && event.initializationContextData) || "null");
    } catch (e) {
      context = null;
    }
    if (context && context.source === "sendAlert") {
      meetingCard.loadLatestOneOnOne().catch(dom.fail);
    }
  });
}

teamCard.wire();
reflectionCard.wire();
followUpCard.wire();
settingsCard.wire();
outcome.wire();
start().catch(dom.fail);
