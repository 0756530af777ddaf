// The follow-up card: asking for a casual or formal word with the manager, or skipping it.
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const $ = dom.$;
  const show = dom.show;
  const session = bossTalk.session;
  const t = bossTalk.i18n.t;

  function render(meeting, nudge) {
    const canAsk = meeting.isOneOnOne && meeting.ended;
    show("follow-up", canAsk);
    if (!canAsk) {
      return;
    }
    const invited = nudge && nudge.invite;
    bossTalk.nudges.describe($("follow-up-state"), nudge, {
      none: t("followUp.none"),
      planned: t("followUp.planned"),
      placed: invited ? t("followUp.placedInvited") : t("followUp.placedHeld"),
      skipped: t("followUp.skipped"),
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
        dom.setStatus(tone === "skip" ? t("followUp.skipping") : t("followUp.looking"));
        const nudge = await session.api.post("/meetings/" + encodeURIComponent(session.eventId) + "/follow-up", { tone: tone, invite: invite });
        render(session.meeting, nudge);
        if (nudge.state === "skipped") {
          dom.setStatus(t("followUp.skipNoted"));
          return;
        }
        $("follow-up-suggestion").hidden = true;
        bossTalk.polling.followInBackground(nudge, invite ? t("followUp.doneInvited") : t("followUp.doneHeld"), $("follow-up-progress"));
      });
    });
  }

  const suggestionKeys = {
    casual: "followUp.suggestCasual",
    formal: "followUp.suggestFormal",
    skip: "followUp.suggestSkip",
  };

  // The suggestion stays on screen across a language change in the preview: redraw it in the new language.
  bossTalk.i18n.onChange(function () {
    const tone = $("follow-up-suggestion").dataset.tone;
    if (!$("follow-up-suggestion").hidden && suggestionKeys[tone]) {
      $("follow-up-suggestion").textContent = t(suggestionKeys[tone]);
    }
  });

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
    $("follow-up-suggestion").textContent = t(suggestionKeys[tone]);
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
