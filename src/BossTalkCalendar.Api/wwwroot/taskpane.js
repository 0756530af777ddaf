// BossTalk task pane: start-up and wiring. Works inside Outlook (Office.js) and, in the sandbox, as a preview
// page in a plain browser. The cards live in js/*-card.js, the sandbox preview in js/preview.js.
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const session = bossTalk.session;
  const officeReadyTimeoutMs = 5000;

  function officeReady() {
    if (typeof Office === "undefined" || typeof Office.onReady !== "function") {
      return Promise.resolve(null);
    }
    const timeout = new Promise(function (resolve) { setTimeout(function () { resolve(null); }, officeReadyTimeoutMs); });
    const ready = Office.onReady().then(function () {
      return Office.context && Office.context.mailbox ? Office : null;
    }, function () { return null; });
    return Promise.race([ready, timeout]);
  }

  async function start() {
    const office = await officeReady();
    dom.show("loading", false);
    if (office) {
      // Outlook's own display language ("de-DE"), English when we have no catalog for it.
      if (office.context.displayLanguage) {
        bossTalk.i18n.setLanguage(office.context.displayLanguage);
      }
      await startInOutlook();
    } else if (session.config.sandbox) {
      await bossTalk.preview.start(bossTalk.outcome.fromAddress);
    } else {
      dom.show("open-in-outlook", true);
    }
  }

  async function startInOutlook() {
    session.api = bossTalk.api.createApi(session.config.apiBase, bossTalk.auth.forOutlook(session.config));
    let problem = null;
    try {
      await bossTalk.settingsCard.load();
    } catch (error) {
      problem = error;
    }
    // After a failed sign-in a second attempt would only prompt the person again.
    if (!(problem instanceof bossTalk.auth.SignInError)) {
      try {
        // Opened from the send-time alert, or while writing a message: the last one-on-one's follow-up is what helps.
        const context = await bossTalk.item.initializationContext();
        if ((context && context.source === "sendAlert") || bossTalk.item.isMessage()) {
          await bossTalk.meetingCard.loadLatestOneOnOne();
        } else {
          await bossTalk.meetingCard.load(await bossTalk.item.currentEventId());
        }
      } catch (error) {
        problem = problem || error;
      }
    }
    if (problem) {
      dom.fail(problem);
      return;
    }
    // Only now, signed in and with the meeting shown, may an answer carried in the address be sent.
    await bossTalk.outcome.fromAddress();
    followSendAlerts();
  }

  /**
   * The send-time alert's "Find a time" while the pane is already open: Outlook does not reload the pane but raises
   * InitializationContextChanged with the new context (initializationContextData, Mailbox 1.15).
   */
  function followSendAlerts() {
    const item = Office.context.mailbox && Office.context.mailbox.item;
    const type = Office.EventType && Office.EventType.InitializationContextChanged;
    if (!item || !type || typeof item.addHandlerAsync !== "function") {
      return;
    }
    item.addHandlerAsync(type, function (event) {
      let context = null;
      try {
        context = JSON.parse(event && event.initializationContextData);
      } catch (e) {
        context = null;
      }
      if (context && context.source === "sendAlert") {
        bossTalk.meetingCard.loadLatestOneOnOne().catch(dom.fail);
      }
    });
  }

  bossTalk.teamCard.wire();
  bossTalk.reflectionCard.wire();
  bossTalk.followUpCard.wire();
  bossTalk.settingsCard.wire();
  bossTalk.outcome.wire();
  start().catch(dom.fail);
})(window.BossTalk = window.BossTalk || {});
