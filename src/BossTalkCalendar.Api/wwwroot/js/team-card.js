// The manager's team card (rollout, /api/v1/teams/mine): shown only when the API says the caller has a team.
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const $ = dom.$;
  const show = dom.show;
  const format = bossTalk.format;
  const session = bossTalk.session;

  // The sandbox's stand-in administrator: a separate identity, so the demo manager's own token never carries the
  // admin role. Only the development issuer (sandbox mode, this machine) hands out its token.
  const sandboxAdminId = "b05a1c00-0000-4000-8000-0000000000ad";

  const teamStateTexts = {
    notEnabled: "BossTalk isn't turned on for your team yet. Nothing happens for them until you approve it.",
    approved: "On for your team since ",
    revoked: "Turned off for your team on ",
  };

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
    $(id).textContent = withheld ? "fewer than 5" : String(figure.count);
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
      target.appendChild(document.createTextNode(teamStateTexts[team.state]));
      target.appendChild(format.dateElement(since, session.me && session.me.timeZone));
      target.appendChild(document.createTextNode(team.state === "revoked" ? ". Nothing new is planned for them." : "."));
    } else {
      target.textContent = teamStateTexts.notEnabled;
    }

    const approved = team.state === "approved";
    showFigure("team-enrolled", team.enrolled);
    showFigure("team-opted-out", team.optedOut);
    showFigure("team-active", team.activeThisMonth);
    show("team-counts-area", approved);

    show("team-approve", !approved);
    $("team-approve").textContent = team.state === "revoked" ? "Turn it back on for my team" : "Approve for my team";
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
        dom.setStatus("Turning BossTalk on for your team…");
        await change("approve", "Approved. BossTalk starts for your team at its next calendar check.");
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
        dom.setStatus("Turning BossTalk off for your team…");
        await change("revoke", "BossTalk is off for your team. Nothing new will be planned for them.");
      });
    });

    $("team-sweep").addEventListener("click", function (event) {
      dom.withBusy(event.currentTarget, async function () {
        $("team-sweep-result").textContent = "Asking for a calendar check…";
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
        $("team-sweep-result").textContent = "The sweep is running. Within a minute, team members whose one-on-one with you has ended find a reflection in their calendar. Sign in as one of them to see it.";
      });
    });
  }

  bossTalk.teamCard = { load: load, hide: hide, wire: wire };
})(window.BossTalk = window.BossTalk || {});
