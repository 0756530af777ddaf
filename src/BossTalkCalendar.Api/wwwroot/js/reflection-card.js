// The reflection card: the private block BossTalk places after a one-on-one, and "Place a reflection now".
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const $ = dom.$;
  const show = dom.show;
  const session = bossTalk.session;
  const t = bossTalk.i18n.t;

  function render(meeting, nudge) {
    const optedOut = session.me && session.me.optedOut;
    let none;
    if (!meeting.isOneOnOne) {
      none = t("reflection.noneNotOneOnOne");
    } else if (!meeting.ended) {
      none = t("reflection.noneNotEnded");
    } else if (optedOut) {
      none = t("reflection.noneOptedOut");
    } else {
      none = t("reflection.noneYet");
    }
    bossTalk.nudges.describe($("reflection-state"), nudge, {
      none: none,
      planned: t("reflection.planned"),
      placed: t("reflection.placed"),
      dismissed: t("reflection.dismissed"),
      removed: t("reflection.removed"),
    });
    show("place-reflection", meeting.isOneOnOne && meeting.ended && !nudge && !optedOut);
    show("reflection", true);
  }

  function wire() {
    $("place-reflection").addEventListener("click", function (event) {
      const button = event.currentTarget;
      dom.withBusy(button, async function () {
        dom.setStatus(t("reflection.placing"));
        const nudge = await session.api.post("/meetings/" + encodeURIComponent(session.eventId) + "/reflection");
        render(session.meeting, nudge);
        dom.setStatus(nudge.state === "planned" ? t("reflection.planned") : "");
        bossTalk.polling.followInBackground(nudge, t("reflection.done"), $("reflection-progress"));
      });
    });
  }

  /** A different meeting is shown: last meeting's progress no longer applies. */
  function reset() {
    $("reflection-progress").textContent = "";
  }

  bossTalk.reflectionCard = { render: render, wire: wire, reset: reset };
})(window.BossTalk = window.BossTalk || {});
