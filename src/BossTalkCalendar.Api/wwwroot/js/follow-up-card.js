// The follow-up card: asking for a casual or formal word with the manager, or skipping it.
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const $ = dom.$;
  const show = dom.show;
  const session = bossTalk.session;

  function render(meeting, nudge) {
    const canAsk = meeting.isOneOnOne && meeting.ended;
    show("follow-up", canAsk);
    if (!canAsk) {
      return;
    }
    const invited = nudge && nudge.invite;
    bossTalk.nudges.describe($("follow-up-state"), nudge, {
      none: "Want to pick up the conversation? BossTalk can find a time that suits you both.",
      planned: "BossTalk is looking for a time that suits you both…",
      placed: invited ? "Your manager is invited:" : "A follow-up is held on your calendar:",
      skipped: "No follow-up this time. That's fine too.",
    });
    show("follow-up-form", !nudge && !(session.me && session.me.optedOut));
  }

  function wire() {
    $("invite-manager").addEventListener("change", function (event) {
      $("invite-warning").classList.toggle("emphasis", event.currentTarget.checked);
    });

    $("follow-up-form").addEventListener("submit", function (event) {
      event.preventDefault();
      const form = event.currentTarget;
      const tone = form.elements.tone.value;
      const invite = $("invite-manager").checked && tone !== "skip";
      dom.withBusy($("request-follow-up"), async function () {
        dom.setStatus(tone === "skip" ? "Noting that you'd rather skip…" : "Looking for a time…");
        const nudge = await session.api.post("/meetings/" + encodeURIComponent(session.eventId) + "/follow-up", { tone: tone, invite: invite });
        render(session.meeting, nudge);
        if (nudge.state === "skipped") {
          dom.setStatus("Noted. No follow-up this time.");
          return;
        }
        bossTalk.polling.followInBackground(nudge, invite ? "Done. Your manager has been invited." : "Done. The follow-up is held on your calendar.");
      });
    });
  }

  bossTalk.followUpCard = { render: render, wire: wire };
})(window.BossTalk = window.BossTalk || {});
