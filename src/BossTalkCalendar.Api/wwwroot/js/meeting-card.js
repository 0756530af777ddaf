// The meeting card: which meeting is open, whether it counts as a one-on-one, and (through the reflection and
// follow-up cards) what BossTalk did or will do for it.
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const $ = dom.$;
  const show = dom.show;
  const format = bossTalk.format;
  const session = bossTalk.session;

  const whyNot = {
    cancelled: "The meeting was cancelled.",
    allDay: "It's an all-day event.",
    seriesMaster: "This is the whole series. Open a single meeting of the series instead.",
    notEnded: "It hasn't ended yet. BossTalk takes a look once it's over.",
    tooLong: "It's longer than a usual one-on-one.",
    declined: "You declined it.",
    notTwoPeople: "It has more than two people.",
    notWithManager: "It's with someone other than your manager.",
    noManager: "Your profile doesn't list a manager.",
  };

  function hide() {
    ["meeting", "reflection", "follow-up"].forEach(function (id) { show(id, false); });
  }

  // The meeting last drawn: words about an earlier meeting (progress, an answer) are cleared when it changes.
  let drawnEventId = null;

  async function load(eventId) {
    session.eventId = eventId;
    bossTalk.preview.markSelected(eventId);
    try {
      session.meeting = await session.api.get("/meetings/" + encodeURIComponent(eventId));
    } catch (error) {
      hide();
      if (error instanceof bossTalk.api.ApiError && error.status === 404) {
        throw new Error("BossTalk can't find this meeting in your calendar. If you've just created it, save it and try again in a moment.");
      }
      if (error instanceof bossTalk.api.ApiError && error.status === 403 && session.me && !session.me.enrolled) {
        throw new Error("BossTalk isn't on for you, so it leaves your own meetings alone.");
      }
      throw error;
    }
    // A reflection block's id answers with its one-on-one: from here on the pane works on the meeting itself.
    if (session.meeting.eventId && session.meeting.eventId !== eventId) {
      session.eventId = session.meeting.eventId;
    }
    render();
  }

  function render() {
    const meeting = session.meeting;
    $("meeting-when").textContent = format.formatRange(meeting.start, meeting.end, meeting.timeZone) + format.zoneLabel(meeting.timeZone);
    $("meeting-kind").textContent = meeting.isOneOnOne
      ? "A one-on-one with your manager."
      : "Not a one-on-one with your manager, so BossTalk leaves it alone.";
    const why = meeting.reason && whyNot[meeting.reason];
    $("meeting-why").textContent = why || "";
    show("meeting-why", !!why && (!meeting.isOneOnOne || meeting.reason === "notEnded"));
    if (meeting.eventId !== drawnEventId) {
      drawnEventId = meeting.eventId;
      bossTalk.outcome.reset();
      bossTalk.reflectionCard.reset();
      bossTalk.followUpCard.reset();
    }
    bossTalk.outcome.render(meeting);
    bossTalk.timeline.render(meeting);
    show("meeting", true);
    bossTalk.reflectionCard.render(meeting, bossTalk.nudges.latest(meeting.nudges, "reflection"));
    bossTalk.followUpCard.render(meeting, bossTalk.nudges.latest(meeting.nudges, "followUp"));
  }

  const latestDays = 2;

  /**
   * The send-time alert's "Find a time": shows the caller's most recent one-on-one that has ended and brings its
   * follow-up card forward, whatever item the pane was opened on.
   */
  async function loadLatestOneOnOne() {
    let meetings;
    try {
      meetings = await session.api.get("/meetings?days=" + latestDays);
    } catch (error) {
      if (error instanceof bossTalk.api.ApiError && error.status === 403) {
        throw new Error("BossTalk isn't on for you, so it leaves your own meetings alone.");
      }
      throw error;
    }
    const latest = meetings.filter(function (m) { return m.isOneOnOne && m.ended; })[0];
    if (!latest) {
      throw new Error("BossTalk found no recent one-on-one with your manager to follow up on.");
    }
    await load(latest.eventId);
    if (!$("follow-up").hidden) {
      dom.setStatus("Here's your last one-on-one. BossTalk can find a good time to follow up.");
      $("follow-up-title").focus();
    }
  }

  bossTalk.meetingCard = { load: load, loadLatestOneOnOne: loadLatestOneOnOne, hide: hide };
})(window.BossTalk = window.BossTalk || {});
