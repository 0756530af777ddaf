// After a 202: ask for the nudge until its job is done (or give up politely), then redraw the meeting.
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const session = bossTalk.session;
  const t = bossTalk.i18n.t;
  const pollIntervalMs = 1000;
  const pollTimeoutMs = 30000;

  function delay(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  /** Short progress for a nudge just asked for: "Asked…", "Finding a time…", "Placed: Tue 14:30–15:00". */
  function progressText(nudge, justAsked) {
    switch (nudge.state) {
      case "planned":
        return justAsked ? t("progress.asked") : t("progress.finding");
      case "placed":
        return nudge.start ? t("progress.placedAt", { when: bossTalk.format.formatShort(nudge.start, nudge.end, nudge.timeZone) }) : t("progress.placed");
      default:
        // The card's own state line says what happened instead.
        return "";
    }
  }

  /**
   * Runs outside withBusy, so the other buttons (opt out in particular) stay usable while a job waits.
   * progressElement (optional) gets a short line on every answer. Resolves to the nudge's last known state.
   */
  async function follow(nudge, doneText, progressElement) {
    const eventId = session.eventId;
    const started = Date.now();
    const report = function (current, justAsked) {
      if (progressElement && session.eventId === eventId) {
        progressElement.textContent = progressText(current, justAsked);
      }
    };
    report(nudge, true);
    while (nudge.state === "planned" && Date.now() - started < pollTimeoutMs) {
      await delay(pollIntervalMs);
      nudge = await session.api.get("/nudges/" + encodeURIComponent(nudge.id));
      report(nudge, false);
    }
    if (session.eventId !== eventId) {
      return nudge;
    }
    await bossTalk.meetingCard.load(eventId);
    if (nudge.state === "planned") {
      dom.setStatus(t("progress.stillWorking"));
    } else if (nudge.state === "placed") {
      dom.setStatus(doneText);
    } else if (nudge.state === "noSlot" || nudge.state === "failed") {
      dom.setStatus("");
    }
    return nudge;
  }

  function followInBackground(nudge, doneText, progressElement) {
    follow(nudge, doneText, progressElement).catch(dom.fail);
  }

  bossTalk.polling = { follow: follow, followInBackground: followInBackground, progressText: progressText };
})(window.BossTalk = window.BossTalk || {});
