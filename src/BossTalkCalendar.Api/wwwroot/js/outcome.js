// "How did it go?" on the meeting card: Fine, Mixed or Rough after an ended one-on-one, asked privately, and the
// same answer given through a link in the reflection block (taskpane.html?eventId=…&outcome=fine|rough).
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const $ = dom.$;
  const show = dom.show;
  const session = bossTalk.session;
  const t = bossTalk.i18n.t;

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
      ? t("outcome.said" + recorded.charAt(0).toUpperCase() + recorded.slice(1))
      : t("outcome.question");
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
        return reflectionGone && placedAndNotStarted(reflectionBefore) ? t("outcome.fineRemoved") : t("outcome.fineDone");
      case "mixed":
        return reflectionBefore && reflectionBefore.state === "placed" ? t("outcome.mixedKept") : t("outcome.mixedDone");
      case "rough":
        return reflectionBefore && reflectionBefore.state === "placed" ? t("outcome.roughKept") : t("outcome.roughDone");
      default:
        return t("outcome.noted");
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
      bossTalk.polling.followInBackground(prep, t("outcome.prepPlaced"));
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
