// After a 202: ask for the nudge until its job is done (or give up politely), then redraw the meeting.
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const session = bossTalk.session;
  const pollIntervalMs = 1000;
  const pollTimeoutMs = 30000;

  function delay(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  /**
   * Runs outside withBusy, so the other buttons (opt out in particular) stay usable while a job waits.
   * Resolves to the nudge's last known state.
   */
  async function follow(nudge, doneText) {
    const eventId = session.eventId;
    const started = Date.now();
    while (nudge.state === "planned" && Date.now() - started < pollTimeoutMs) {
      await delay(pollIntervalMs);
      nudge = await session.api.get("/nudges/" + encodeURIComponent(nudge.id));
    }
    if (session.eventId !== eventId) {
      return nudge;
    }
    await bossTalk.meetingCard.load(eventId);
    if (nudge.state === "planned") {
      dom.setStatus("Still working on it. Check back in a minute.");
    } else if (nudge.state === "placed") {
      dom.setStatus(doneText);
    } else if (nudge.state === "noSlot" || nudge.state === "failed") {
      dom.setStatus("");
    }
    return nudge;
  }

  function followInBackground(nudge, doneText) {
    follow(nudge, doneText).catch(dom.fail);
  }

  bossTalk.polling = { follow: follow, followInBackground: followInBackground };
})(window.BossTalk = window.BossTalk || {});
