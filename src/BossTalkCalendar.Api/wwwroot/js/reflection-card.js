// The reflection card: the private block BossTalk places after a one-on-one, and "Place a reflection now".
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const $ = dom.$;
  const show = dom.show;
  const session = bossTalk.session;

  function render(meeting, nudge) {
    const optedOut = session.me && session.me.optedOut;
    let none;
    if (!meeting.isOneOnOne) {
      none = "Nothing planned: reflections follow one-on-ones with your manager.";
    } else if (!meeting.ended) {
      none = "Once the meeting is over, BossTalk finds a quiet moment in your calendar to think it over.";
    } else if (optedOut) {
      none = "Nothing planned, because you've opted out.";
    } else {
      none = "No reflection yet. BossTalk plans one at its next check, or you can place it now.";
    }
    bossTalk.nudges.describe($("reflection-state"), nudge, {
      none: none,
      planned: "BossTalk is finding a quiet moment in your calendar…",
      placed: "A reflection is on your calendar:",
      dismissed: "Not needed this time. Nothing more will come for this meeting.",
      removed: "Taken off your calendar. Nothing more will come for this meeting.",
    });
    show("place-reflection", meeting.isOneOnOne && meeting.ended && !nudge && !optedOut);
    show("reflection", true);
  }

  function wire() {
    $("place-reflection").addEventListener("click", function (event) {
      const button = event.currentTarget;
      dom.withBusy(button, async function () {
        dom.setStatus("Placing a reflection…");
        const nudge = await session.api.post("/meetings/" + encodeURIComponent(session.eventId) + "/reflection");
        render(session.meeting, nudge);
        dom.setStatus(nudge.state === "planned" ? "BossTalk is finding a quiet moment in your calendar…" : "");
        bossTalk.polling.followInBackground(nudge, "Your reflection is on your calendar.", $("reflection-progress"));
      });
    });
  }

  /** A different meeting is shown: last meeting's progress no longer applies. */
  function reset() {
    $("reflection-progress").textContent = "";
  }

  bossTalk.reflectionCard = { render: render, wire: wire, reset: reset };
})(window.BossTalk = window.BossTalk || {});
