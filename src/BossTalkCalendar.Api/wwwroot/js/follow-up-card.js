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
        $("follow-up-suggestion").hidden = true;
        bossTalk.polling.followInBackground(nudge, invite ? "Done. Your manager has been invited." : "Done. The follow-up is held on your calendar.", $("follow-up-progress"));
      });
    });
  }

  const suggestionTexts = {
    casual: "A short, friendly word might be the easiest way to pick it up. Casual is chosen; change it if you like.",
    formal: "A prepared conversation might suit this one. Formal is chosen; change it if you like.",
    skip: "Letting it go is fine too. Skip is chosen, and you can still pick a follow-up if you change your mind.",
  };

  /**
   * After a rough one-on-one: brings the card forward with the API's suggested tone chosen. Does nothing when a
   * follow-up was already asked for (the form is hidden then) or the API suggests nothing.
   */
  function suggest(tone) {
    const input = tone && document.querySelector("#follow-up-form input[name=\"tone\"][value=\"" + tone + "\"]");
    if (!input || $("follow-up").hidden || $("follow-up-form").hidden) {
      return false;
    }
    input.checked = true;
    $("follow-up-suggestion").textContent = suggestionTexts[tone];
    $("follow-up-suggestion").dataset.tone = tone;
    $("follow-up-suggestion").hidden = false;
    $("follow-up-title").focus();
    return true;
  }

  /** A different meeting is shown: last meeting's suggestion and progress no longer apply. */
  function reset() {
    $("follow-up-suggestion").hidden = true;
    $("follow-up-suggestion").textContent = "";
    $("follow-up-progress").textContent = "";
    $("tone-casual").checked = true;
  }

  bossTalk.followUpCard = { render: render, wire: wire, suggest: suggest, reset: reset };
})(window.BossTalk = window.BossTalk || {});
