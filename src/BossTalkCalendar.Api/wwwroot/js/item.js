// The appointment Outlook has open, as an id Microsoft Graph accepts.
import { t } from "./i18n.js";

/** The open item is not something the pane can work on (no meeting, not saved yet). */
export class ItemError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "ItemError";
  }
}

// Outlook on iOS and Android already hands out REST ids and has no convertToRestId.
const restIdHosts = ["OutlookIOS", "OutlookAndroid"];

/**
 * @param {any} item Office.js's item (read or compose)
 * @returns {Promise<string>}
 */
function itemIdAsync(item) {
  if (item.itemId) {
    return Promise.resolve(item.itemId);
  }
  if (typeof item.getItemIdAsync !== "function") {
    return Promise.reject(new ItemError(t("item.save")));
  }
  // Organizer (compose) view: the id exists only once the meeting has been saved.
  return new Promise(function (resolve, reject) {
    item.getItemIdAsync(function (/** @type {Office.AsyncResult<string>} */ result) {
      if (String(result.status) === "succeeded" && result.value) {
        resolve(result.value);
      } else {
        reject(new ItemError(t("item.save")));
      }
    });
  });
}

/** Resolves to the REST id of the open appointment. */
export async function currentEventId() {
  const mailbox = Office.context.mailbox;
  const item = mailbox && mailbox.item;
  if (!item) {
    throw new ItemError(t("item.open"));
  }
  const appointment = Office.MailboxEnums && Office.MailboxEnums.ItemType ? Office.MailboxEnums.ItemType.Appointment : "appointment";
  if (item.itemType && item.itemType !== appointment) {
    throw new ItemError(t("item.notMeeting"));
  }
  const id = await itemIdAsync(item);
  const hostName = mailbox.diagnostics && mailbox.diagnostics.hostName;
  if (restIdHosts.indexOf(hostName) >= 0 || typeof mailbox.convertToRestId !== "function") {
    return id;
  }
  return mailbox.convertToRestId(id, Office.MailboxEnums.RestVersion.v2_0);
}

const contextTimeoutMs = 2000;

/**
 * What Outlook handed the pane when it opened it, parsed: the send-time alert's "Find a time" button passes
 * { source: "sendAlert" } (Mailbox 1.14, item.getInitializationContextAsync since 1.8). Null when there is none.
 */
export function initializationContext() {
  const item = Office.context.mailbox && Office.context.mailbox.item;
  if (!item || typeof item.getInitializationContextAsync !== "function") {
    return Promise.resolve(null);
  }
  const read = new Promise(function (resolve) {
    item.getInitializationContextAsync(function (result) {
      if (String(result.status) !== "succeeded" || !result.value) {
        resolve(null);
        return;
      }
      try {
        resolve(JSON.parse(result.value));
      } catch (e) {
        resolve(null);
      }
    });
  });
  const timeout = new Promise(function (resolve) { setTimeout(function () { resolve(null); }, contextTimeoutMs); });
  return Promise.race([read, timeout]);
}

/** True when the open item is a message (the pane was opened while writing one). */
export function isMessage() {
  const item = Office.context.mailbox && Office.context.mailbox.item;
  const message = Office.MailboxEnums && Office.MailboxEnums.ItemType ? Office.MailboxEnums.ItemType.Message : "message";
  return !!item && item.itemType === message;
}
