// "How did it go?" on the meeting card: Fine, Mixed or Rough after an ended one-on-one, asked privately, and the
// same answer given through a link in the reflection block (taskpane.html?eventId=…&outcome=fine|rough).
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const $ = dom.$;
  const show = dom.show;
  const session = bossTalk.session;

  const outcomes = ["fine", "mixed", "rough"];

  function render(meeting) {
    // Only for an ended one-on-one, and only when the API knows outcomes at all.
    const canAsk = meeting.isOneOnOne && meeting.ended && "outcome" in meeting;
    show("outcome", canAsk);
    if (!canAsk) {
      return;
    }
    const recorded = outcomes.indexOf(meeting.outcome) >= 0 ? meeting.outcome : null;
    $("outcome").dataset.outcome = recorded || "none";
    $("outcome-question").textContent = recorded
      ? "You said it went " + recorded + ". You can change that here."
      : "How did it go?";
    outcomes.forEach(function (outcome) {
      $("outcome-" + outcome).setAttribute("aria-pressed", outcome === recorded ? "true" : "false");
    });
  }

  function placedAndNotStarted(nudge) {
    return !!(nudge && nudge.state === "placed" && nudge.start && new Date(nudge.start).getTime() > Date.now());
  }

  function resultText(result, reflectionBefore) {
    const changed = result.changed || [];
    const reflectionGone = changed.some(function (n) {
      return n.kind === "reflection" && (n.state === "dismissed" || n.state === "removed");
    });
    switch (result.outcome) {
      case "fine":
        return reflectionGone && placedAndNotStarted(reflectionBefore)
          ? "Glad it went fine. The reflection block is off your calendar, and nothing more will come for this meeting."
          : "Glad it went fine. Nothing more will come for this meeting.";
      case "mixed":
        return reflectionBefore && reflectionBefore.state === "placed"
          ? "Thanks for saying. Your reflection block stays, for whenever you want it."
          : "Thanks for saying. BossTalk carries on as planned.";
      case "rough":
        return (reflectionBefore && reflectionBefore.state === "placed" ? "Sorry it was a hard one. Your reflection block stays. " : "Sorry it was a hard one. ") +
          "A short prep block will be placed before your next one-on-one.";
      default:
        return "Noted.";
    }
  }

  /** PUT the outcome for the meeting on the card, redraw it, and say what it means. */
  async function record(outcome) {
    const meeting = session.meeting;
    const reflectionBefore = bossTalk.nudges.latest(meeting.nudges, "reflection");
    $("outcome-result").textContent = "";
    dom.setStatus("");
    const result = await session.api.put("/meetings/" + encodeURIComponent(meeting.eventId) + "/outcome", { outcome: outcome });
    await bossTalk.meetingCard.load(session.eventId);
    $("outcome-result").textContent = resultText(result, reflectionBefore);
    if (result.outcome === "rough") {
      bossTalk.followUpCard.suggest(result.suggestedTone);
    }
    // The prep block is placed by a job like any other nudge: follow it quietly, so the timeline shows it once placed.
    const prep = (result.changed || []).filter(function (n) { return n.kind === "prep" && n.state === "planned"; })[0];
    if (prep) {
      bossTalk.polling.followInBackground(prep, "A short prep block is on your calendar before your next one-on-one.");
    }
  }

  /**
   * A reflection block's link carries ?eventId=…&outcome=…. Called only once start-up (sign-in, the meeting) has
   * succeeded: opening the address changes nothing by itself. The parameter leaves the address before the answer
   * is sent, so a reload never sends it twice.
   */
  async function fromAddress() {
    const params = new URLSearchParams(window.location.search);
    const outcome = params.get("outcome");
    if (outcome === null) {
      return;
    }
    params.delete("outcome");
    const query = params.toString();
    window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    if (outcomes.indexOf(outcome) < 0) {
      return;
    }
    const eventId = params.get("eventId");
    if (eventId && (!session.meeting || (eventId !== session.eventId && eventId !== session.meeting.eventId))) {
      await bossTalk.meetingCard.load(eventId);
    }
    if (!session.meeting || $("outcome").hidden) {
      return;
    }
    await dom.withBusy($("outcome-" + outcome), async function () {
      await record(outcome);
    });
  }

  /** A different meeting is shown: the last answer's words no longer apply. */
  function reset() {
    $("outcome-result").textContent = "";
  }

  function wire() {
    outcomes.forEach(function (outcome) {
      $("outcome-" + outcome).addEventListener("click", function (event) {
        dom.withBusy(event.currentTarget, async function () {
          await record(outcome);
        });
      });
    });
  }

  bossTalk.outcome = { render: render, fromAddress: fromAddress, reset: reset, wire: wire };
})(window.BossTalk = window.BossTalk || {});
