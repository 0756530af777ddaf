// The manager's team card (rollout, /api/v1/teams/mine): shown only when the API says the caller has a team.
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const $ = dom.$;
  const show = dom.show;
  const format = bossTalk.format;
  const session = bossTalk.session;
  const t = bossTalk.i18n.t;

  // The sandbox's stand-in administrator: a separate identity, so the demo manager's own token never carries the
  // admin role. Only the development issuer (sandbox mode, this machine) hands out its token.
  const sandboxAdminId = "b05a1c00-0000-4000-8000-0000000000ad";


  /** Asks the API for the caller's team: a 404 means they are not a manager, and the card stays hidden. */
  async function load() {
    try {
      session.team = await session.api.get("/teams/mine");
    } catch (error) {
      session.team = null;
      render();
      // Someone who manages nobody must never see a team error; a manager needs to know the card is missing.
      if ((error instanceof bossTalk.api.ApiError && error.status === 404) || !(session.me && session.me.isManager)) {
        return;
      }
      throw error;
    }
    render();
  }

  /** A team figure is a count, or withheld by the API because it would concern fewer than 5 people. */
  function showFigure(id, figure) {
    const withheld = !figure || typeof figure.count !== "number";
    $(id).textContent = withheld ? t("team.fewerThan5") : new Intl.NumberFormat(bossTalk.i18n.locale()).format(figure.count);
    $(id).dataset.withheld = String(withheld);
  }

  function render() {
    const team = session.team;
    hideRevokeConfirm(false);
    if (!team) {
      show("team-slot", false);
      return;
    }
    const target = $("team-state");
    target.textContent = "";
    target.dataset.state = team.state;
    const since = team.state === "approved" ? team.approvedAt : team.state === "revoked" ? team.revokedAt : null;
    if (since) {
      // The date sits where the language puts it ("{date}" in the sentence), as a <time> element.
      const sentence = t(team.state === "revoked" ? "team.revokedOn" : "team.approvedSince");
      const at = sentence.indexOf("{date}");
      target.appendChild(document.createTextNode(at >= 0 ? sentence.slice(0, at) : sentence + " "));
      target.appendChild(format.dateElement(since, session.me && session.me.timeZone));
      target.appendChild(document.createTextNode(at >= 0 ? sentence.slice(at + "{date}".length) : ""));
    } else {
      target.textContent = t("team.notEnabled");
    }

    const approved = team.state === "approved";
    showFigure("team-enrolled", team.enrolled);
    showFigure("team-opted-out", team.optedOut);
    showFigure("team-active", team.activeThisMonth);
    show("team-counts-area", approved);

    show("team-approve", !approved);
    $("team-approve").textContent = team.state === "revoked" ? t("team.reapprove") : t("team.approve");
    show("team-revoke", approved);
    // The sweep helper exists for the sandbox's preview page only, never inside Outlook or outside the sandbox.
    show("team-sandbox", approved && session.config.sandbox && session.preview);
    $("team-sweep-result").textContent = "";
    show("team-slot", true);
  }

  function hide() {
    show("team-slot", false);
  }

  function hideRevokeConfirm(returnFocus) {
    show("team-revoke-confirm", false);
    $("team-revoke").setAttribute("aria-expanded", "false");
    if (returnFocus) {
      $("team-revoke").focus();
    }
  }

  async function change(path, doneText) {
    session.team = await session.api.post("/teams/mine/" + path);
    render();
    dom.setStatus(doneText);
    $("team-state").focus();
  }

  function wire() {
    $("team-approve").addEventListener("click", function (event) {
      dom.withBusy(event.currentTarget, async function () {
        dom.setStatus(t("team.approving"));
        await change("approve", t("team.approved"));
      });
    });

    $("team-revoke").addEventListener("click", function (event) {
      event.currentTarget.setAttribute("aria-expanded", "true");
      show("team-revoke-confirm", true);
      $("team-revoke-question").focus();
    });

    $("team-revoke-no").addEventListener("click", function () {
      hideRevokeConfirm(true);
    });

    $("team-revoke-yes").addEventListener("click", function (event) {
      dom.withBusy(event.currentTarget, async function () {
        dom.setStatus(t("team.revoking"));
        await change("revoke", t("team.revoked"));
      });
    });

    $("team-sweep").addEventListener("click", function (event) {
      dom.withBusy(event.currentTarget, async function () {
        $("team-sweep-result").textContent = t("team.sweepAsking");
        try {
          const token = await bossTalk.api.anonymousJson("POST", "/dev-issuer/token", { userId: sandboxAdminId, admin: true });
          const admin = bossTalk.api.createApi(session.config.apiBase, function () { return Promise.resolve(token.access_token); });
          await admin.post("/admin/sweep");
        } catch (error) {
          $("team-sweep-result").textContent = "";
          throw error;
        }
        // Said next to the button: at 320 px the pane's own status line is far above, out of sight.
        dom.setStatus("");
        $("team-sweep-result").textContent = t("team.sweepRunning");
      });
    });
  }

  // A language change in the preview: redraw the card (its sweep line, if any, is cleared like on any redraw).
  bossTalk.i18n.onChange(function () {
    if (session.team && !$("team-slot").hidden) {
      render();
    }
  });

  bossTalk.teamCard = { load: load, hide: hide, wire: wire };
})(window.BossTalk = window.BossTalk || {});
