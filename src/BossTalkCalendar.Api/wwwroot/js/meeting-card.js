// The meeting card: which meeting is open, whether it counts as a one-on-one, and (through the reflection and
// follow-up cards) what BossTalk did or will do for it.
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const $ = dom.$;
  const show = dom.show;
  const format = bossTalk.format;
  const session = bossTalk.session;
  const t = bossTalk.i18n.t;

  // The API's reasons a meeting is not (yet) a one-on-one we act on (i18n keys meeting.why.*).
  const whyNot = ["cancelled", "allDay", "seriesMaster", "notEnded", "tooLong", "declined", "notTwoPeople", "notWithManager", "noManager"];

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
        throw new Error(t("meeting.notFound"));
      }
      if (error instanceof bossTalk.api.ApiError && error.status === 403 && session.me && !session.me.enrolled) {
        throw new Error(t("meeting.notOn"));
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
    $("meeting-kind").textContent = meeting.isOneOnOne ? t("meeting.isOneOnOne") : t("meeting.notOneOnOne");
    const why = meeting.reason && whyNot.indexOf(meeting.reason) >= 0 ? t("meeting.why." + meeting.reason) : null;
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
        throw new Error(t("meeting.notOn"));
      }
      throw error;
    }
    const latest = meetings.filter(function (m) { return m.isOneOnOne && m.ended; })[0];
    if (!latest) {
      throw new Error(t("meeting.latestNone"));
    }
    await load(latest.eventId);
    if (!$("follow-up").hidden) {
      dom.setStatus(t("meeting.latestFound"));
      $("follow-up-title").focus();
    }
  }


  // A language change in the preview: the meeting on screen is redrawn in the new words and date format.
  bossTalk.i18n.onChange(function () {
    if (session.meeting && !$("meeting").hidden) {
      render();
    }
  });

  bossTalk.meetingCard = { load: load, loadLatestOneOnOne: loadLatestOneOnOne, hide: hide };
})(window.BossTalk = window.BossTalk || {});
