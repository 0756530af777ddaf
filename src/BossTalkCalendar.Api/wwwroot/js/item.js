// The appointment Outlook has open, as an id Microsoft Graph accepts.
(function (bossTalk) {
  "use strict";

  function ItemError(message) {
    this.name = "ItemError";
    this.message = message;
  }
  ItemError.prototype = Object.create(Error.prototype);

  // Outlook on iOS and Android already hands out REST ids and has no convertToRestId.
  const restIdHosts = ["OutlookIOS", "OutlookAndroid"];

  function itemIdAsync(item) {
    if (item.itemId) {
      return Promise.resolve(item.itemId);
    }
    if (typeof item.getItemIdAsync !== "function") {
      return Promise.reject(new ItemError(bossTalk.i18n.t("item.save")));
    }
    // Organizer (compose) view: the id exists only once the meeting has been saved.
    return new Promise(function (resolve, reject) {
      item.getItemIdAsync(function (result) {
        if (result.status === "succeeded" && result.value) {
          resolve(result.value);
        } else {
          reject(new ItemError(bossTalk.i18n.t("item.save")));
        }
      });
    });
  }

  /** Resolves to the REST id of the open appointment. */
  async function currentEventId() {
    const mailbox = Office.context.mailbox;
    const item = mailbox && mailbox.item;
    if (!item) {
      throw new ItemError(bossTalk.i18n.t("item.open"));
    }
    const appointment = Office.MailboxEnums && Office.MailboxEnums.ItemType ? Office.MailboxEnums.ItemType.Appointment : "appointment";
    if (item.itemType && item.itemType !== appointment) {
      throw new ItemError(bossTalk.i18n.t("item.notMeeting"));
    }
    const id = await itemIdAsync(item);
    const hostName = mailbox.diagnostics && mailbox.diagnostics.hostName;
    if (restIdHosts.indexOf(hostName) >= 0 || typeof mailbox.convertToRestId !== "function") {
      return id;
    }
    return mailbox.convertToRestId(id, Office.MailboxEnums.RestVersion.v2_0);
  }

  bossTalk.item = { currentEventId: currentEventId, ItemError: ItemError };
})(window.BossTalk = window.BossTalk || {});
