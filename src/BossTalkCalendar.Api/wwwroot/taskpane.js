// BossTalk task pane: what BossTalk does for the open meeting, and the user's own settings.
// Works inside Outlook (Office.js) and, in the sandbox, as a preview page in a plain browser.
(function (bossTalk) {
  "use strict";

  var format = bossTalk.format;
  var config = JSON.parse(document.getElementById("taskpane-config").textContent);
  var officeReadyTimeoutMs = 5000;
  var pollIntervalMs = 1000;
  var pollTimeoutMs = 30000;

  var state = { api: null, me: null, team: null, meeting: null, eventId: null, busy: false, preview: false };

  // The sandbox's stand-in administrator: a separate identity, so the demo manager's own token never carries the
  // admin role. Only the development issuer (sandbox mode, this machine) hands out its token.
  var sandboxAdminId = "b05a1c00-0000-4000-8000-0000000000ad";

  function $(id) {
    return document.getElementById(id);
  }

  function show(id, visible) {
    $(id).hidden = !visible;
  }

  function setStatus(text) {
    $("status").textContent = text || "";
  }

  function setError(text) {
    var element = $("error");
    element.textContent = text || "";
    element.hidden = !text;
  }

  function describeError(error) {
    if (error instanceof bossTalk.api.ApiError) {
      if (error.status === 401) {
        return "BossTalk couldn't confirm who you are. Close the pane and open it again.";
      }
      if (error.status === 403 && !error.detail) {
        return "This isn't available to you.";
      }
      if (error.status === 429) {
        return "That was a lot at once. Wait a moment, then try again.";
      }
      return error.detail ? error.title + ". " + error.detail : error.title + ".";
    }
    return error && error.message ? error.message : "Something went wrong. Please try again.";
  }

  function fail(error) {
    setStatus("");
    setError(describeError(error));
  }

  // ---------------------------------------------------------------- start-up

  function officeReady() {
    if (typeof Office === "undefined" || typeof Office.onReady !== "function") {
      return Promise.resolve(null);
    }
    var timeout = new Promise(function (resolve) { setTimeout(function () { resolve(null); }, officeReadyTimeoutMs); });
    var ready = Office.onReady().then(function () {
      return Office.context && Office.context.mailbox ? Office : null;
    }, function () { return null; });
    return Promise.race([ready, timeout]);
  }

  async function start() {
    var office = await officeReady();
    show("loading", false);
    if (office) {
      await startInOutlook();
    } else if (config.sandbox) {
      await startPreview();
    } else {
      show("open-in-outlook", true);
    }
  }

  async function startInOutlook() {
    state.api = bossTalk.api.createApi(config.apiBase, bossTalk.auth.forOutlook(config));
    var problem = null;
    try {
      await loadMe();
    } catch (error) {
      problem = error;
    }
    // After a failed sign-in a second attempt would only prompt the person again.
    if (!(problem instanceof bossTalk.auth.SignInError)) {
      try {
        await loadMeeting(await bossTalk.item.currentEventId());
      } catch (error) {
        problem = problem || error;
      }
    }
    if (problem) {
      fail(problem);
    }
  }

  // ---------------------------------------------------------------- preview (sandbox, no Outlook)

  var roleNames = { manager: "manager", member: "team member" };

  async function startPreview() {
    state.preview = true;
    show("preview", true);
    var select = $("preview-user");
    try {
      var people = await bossTalk.api.anonymousJson("GET", config.apiBase + "/sandbox/users");
      people.forEach(function (person) {
        var option = document.createElement("option");
        option.value = person.userId;
        option.textContent = person.mail + " — " + (roleNames[person.role] || person.role) + (person.timeZone ? ", " + person.timeZone : "");
        select.appendChild(option);
      });
    } catch (error) {
      fail(error);
    }
    $("preview-user-form").addEventListener("submit", function (event) {
      event.preventDefault();
      if (select.value) {
        signInAs(select.value);
      }
    });
  }

  async function signInAs(userId) {
    setError("");
    state.api = bossTalk.api.createApi(config.apiBase, bossTalk.auth.devIssuer(userId));
    state.meeting = null;
    state.team = null;
    hideMeetingCards();
    show("team-slot", false);
    // Each part shows what it can: a failing settings call must not hide the person's meetings.
    var problem = null;
    try {
      await loadMe();
    } catch (error) {
      problem = problem || error;
    }
    try {
      await listMeetings();
      var wanted = new URLSearchParams(window.location.search).get("eventId");
      if (wanted) {
        await loadMeeting(wanted);
      }
    } catch (error) {
      problem = problem || error;
    }
    if (problem) {
      fail(problem);
    } else {
      setStatus("Signed in to the sandbox.");
    }
  }

  async function listMeetings() {
    var list = $("preview-meetings");
    var empty = $("preview-meetings-empty");
    list.textContent = "";
    var meetings;
    try {
      meetings = await state.api.get("/meetings?days=7");
    } catch (error) {
      // Someone BossTalk isn't on for (the demo manager, or anyone before approval) has no meetings to show:
      // that's expected in the preview, not an error.
      if (error instanceof bossTalk.api.ApiError && error.status === 403 && state.me && !state.me.enrolled) {
        empty.textContent = "BossTalk isn't on for this person, so there are no meetings of theirs to show.";
        show("preview-meetings-empty", true);
        show("preview-meetings-area", true);
        return;
      }
      throw error;
    }
    empty.textContent = "No meetings in this period.";
    show("preview-meetings-area", true);
    show("preview-meetings-empty", meetings.length === 0);
    meetings.forEach(function (meeting) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.dataset.eventId = meeting.eventId;
      button.setAttribute("aria-pressed", "false");
      button.appendChild(format.timeElement(meeting.start, meeting.end, meeting.timeZone));
      if (meeting.isOneOnOne) {
        var tag = document.createElement("span");
        tag.className = "tag";
        tag.textContent = "1:1 with your manager";
        button.appendChild(tag);
      }
      if (!meeting.ended) {
        var upcoming = document.createElement("span");
        upcoming.className = "tag";
        upcoming.textContent = "not over yet";
        button.appendChild(upcoming);
      }
      button.addEventListener("click", function () {
        setError("");
        loadMeeting(meeting.eventId).then(function () {
          $("meeting-title").focus();
        }, fail);
      });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function markSelected(eventId) {
    Array.prototype.forEach.call(document.querySelectorAll("#preview-meetings button"), function (button) {
      button.setAttribute("aria-pressed", button.dataset.eventId === eventId ? "true" : "false");
    });
  }

  // ---------------------------------------------------------------- me: preferences and taking part

  async function loadMe() {
    state.me = await state.api.get("/me");
    renderMe();
    await loadTeam();
  }

  function renderMe() {
    var me = state.me;
    var prefs = me.preferences || {};
    $("pref-cooldown").value = prefs.coolDownMinutes;
    $("pref-length").value = prefs.reflectionMinutes;
    $("pref-counterpart-manager").checked = prefs.counterpart !== "anyOne";
    $("pref-counterpart-anyone").checked = prefs.counterpart === "anyOne";
    $("pref-paused").checked = !!prefs.paused;
    show("preferences", true);

    var text = me.optedOut
      ? "You've opted out. BossTalk won't plan anything for you until you opt back in."
      : me.enrolled
        ? (prefs.paused ? "BossTalk is paused for you." : "BossTalk is on for you.")
        : "BossTalk isn't turned on for your team yet. You can still look around.";
    $("participation-state").textContent = text;
    show("opt-out", !me.optedOut);
    show("opt-in", me.optedOut);
    show("participation", true);
  }

  // ---------------------------------------------------------------- the manager's team card

  /** Asks the API for the caller's team: a 404 means they are not a manager, and the card stays hidden. */
  async function loadTeam() {
    try {
      state.team = await state.api.get("/teams/mine");
    } catch (error) {
      state.team = null;
      renderTeamSlot();
      // Someone who manages nobody must never see a team error; a manager needs to know the card is missing.
      if ((error instanceof bossTalk.api.ApiError && error.status === 404) || !(state.me && state.me.isManager)) {
        return;
      }
      throw error;
    }
    renderTeamSlot();
  }

  var teamStateTexts = {
    notEnabled: "BossTalk isn't turned on for your team yet. Nothing happens for them until you approve it.",
    approved: "On for your team since ",
    revoked: "Turned off for your team on ",
  };

  /** A team figure is a count, or withheld by the API because it would concern fewer than 5 people. */
  function showFigure(id, figure) {
    var withheld = !figure || typeof figure.count !== "number";
    $(id).textContent = withheld ? "fewer than 5" : String(figure.count);
    $(id).dataset.withheld = String(withheld);
  }

  function renderTeamSlot() {
    var team = state.team;
    hideRevokeConfirm(false);
    if (!team) {
      show("team-slot", false);
      return;
    }
    var target = $("team-state");
    target.textContent = "";
    target.dataset.state = team.state;
    var since = team.state === "approved" ? team.approvedAt : team.state === "revoked" ? team.revokedAt : null;
    if (since) {
      target.appendChild(document.createTextNode(teamStateTexts[team.state]));
      target.appendChild(format.dateElement(since, state.me && state.me.timeZone));
      target.appendChild(document.createTextNode(team.state === "revoked" ? ". Nothing new is planned for them." : "."));
    } else {
      target.textContent = teamStateTexts.notEnabled;
    }

    var approved = team.state === "approved";
    showFigure("team-enrolled", team.enrolled);
    showFigure("team-opted-out", team.optedOut);
    showFigure("team-active", team.activeThisMonth);
    show("team-counts-area", approved);

    show("team-approve", !approved);
    $("team-approve").textContent = team.state === "revoked" ? "Turn it back on for my team" : "Approve for my team";
    show("team-revoke", approved);
    // The sweep helper exists for the sandbox's preview page only, never inside Outlook or outside the sandbox.
    show("team-sandbox", approved && config.sandbox && state.preview);
    $("team-sweep-result").textContent = "";
    show("team-slot", true);
  }

  function hideRevokeConfirm(returnFocus) {
    show("team-revoke-confirm", false);
    $("team-revoke").setAttribute("aria-expanded", "false");
    if (returnFocus) {
      $("team-revoke").focus();
    }
  }

  async function changeTeam(path, doneText) {
    state.team = await state.api.post("/teams/mine/" + path);
    renderTeamSlot();
    setStatus(doneText);
    $("team-state").focus();
  }

  $("team-approve").addEventListener("click", function (event) {
    withBusy(event.currentTarget, async function () {
      setStatus("Turning BossTalk on for your team…");
      await changeTeam("approve", "Approved. BossTalk starts for your team at its next calendar check.");
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
    withBusy(event.currentTarget, async function () {
      setStatus("Turning BossTalk off for your team…");
      await changeTeam("revoke", "BossTalk is off for your team. Nothing new will be planned for them.");
    });
  });

  $("team-sweep").addEventListener("click", function (event) {
    withBusy(event.currentTarget, async function () {
      $("team-sweep-result").textContent = "Asking for a calendar check…";
      try {
        var token = await bossTalk.api.anonymousJson("POST", "/dev-issuer/token", { userId: sandboxAdminId, admin: true });
        var admin = bossTalk.api.createApi(config.apiBase, function () { return Promise.resolve(token.access_token); });
        await admin.post("/admin/sweep");
      } catch (error) {
        $("team-sweep-result").textContent = "";
        throw error;
      }
      // Said next to the button: at 320 px the pane's own status line is far above, out of sight.
      setStatus("");
      $("team-sweep-result").textContent = "The sweep is running. Within a minute, team members whose one-on-one with you has ended find a reflection in their calendar. Sign in as one of them to see it.";
    });
  });

  // ---------------------------------------------------------------- the meeting

  var whyNot = {
    cancelled: "The meeting was cancelled.",
    allDay: "It's an all-day event.",
    seriesMaster: "This is the whole series. Open a single meeting of the series instead.",
    notEnded: "It hasn't ended yet. BossTalk takes a look once it's over.",
    tooLong: "It's longer than a usual one-on-one.",
    declined: "You declined it.",
    notTwoPeople: "It has more than two people.",
    notWithManager: "It's with someone other than your manager.",
    noManager: "Your profile doesn't list a manager.",
  };

  var reasonTexts = {
    calendarFull: "Your calendar is full until then.",
    horizonPassed: "The right moment has passed.",
    noCommonWorkingTime: "You and your manager have no working time in common soon.",
    managerOutOfOffice: "Your manager is away.",
    meetingCancelled: "The meeting was cancelled.",
    optedOut: "You opted out.",
    mailboxForbidden: "BossTalk isn't allowed to use your calendar.",
    userNotFound: "Your account wasn't found.",
    graphUnavailable: "Your calendar couldn't be reached.",
  };

  function hideMeetingCards() {
    ["meeting", "reflection", "follow-up"].forEach(function (id) { show(id, false); });
  }

  async function loadMeeting(eventId) {
    state.eventId = eventId;
    markSelected(eventId);
    try {
      state.meeting = await state.api.get("/meetings/" + encodeURIComponent(eventId));
    } catch (error) {
      hideMeetingCards();
      if (error instanceof bossTalk.api.ApiError && error.status === 404) {
        throw new Error("BossTalk can't find this meeting in your calendar. If you've just created it, save it and try again in a moment.");
      }
      if (error instanceof bossTalk.api.ApiError && error.status === 403 && state.me && !state.me.enrolled) {
        throw new Error("BossTalk isn't on for you, so it leaves your own meetings alone.");
      }
      throw error;
    }
    renderMeeting();
  }

  function latest(nudges, kind) {
    return (nudges || [])
      .filter(function (n) { return n.kind === kind; })
      .sort(function (a, b) { return String(b.updatedAt).localeCompare(String(a.updatedAt)); })[0] || null;
  }

  function renderMeeting() {
    var meeting = state.meeting;
    $("meeting-when").textContent = format.formatRange(meeting.start, meeting.end, meeting.timeZone) + format.zoneLabel(meeting.timeZone);
    $("meeting-kind").textContent = meeting.isOneOnOne
      ? "A one-on-one with your manager."
      : "Not a one-on-one with your manager, so BossTalk leaves it alone.";
    var why = meeting.reason && whyNot[meeting.reason];
    $("meeting-why").textContent = why || "";
    show("meeting-why", !!why && (!meeting.isOneOnOne || meeting.reason === "notEnded"));
    show("meeting", true);
    renderReflection(meeting, latest(meeting.nudges, "reflection"));
    renderFollowUp(meeting, latest(meeting.nudges, "followUp"));
  }

  /** Fills a state paragraph; placed nudges get a <time> with the API's timestamp. */
  function describe(target, nudge, words) {
    target.textContent = "";
    target.dataset.state = nudge ? nudge.state : "none";
    target.className = nudge && nudge.state === "placed" ? "state-placed" : nudge && (nudge.state === "noSlot" || nudge.state === "failed") ? "state-problem" : "";
    if (!nudge) {
      target.textContent = words.none;
      return;
    }
    var reason = nudge.reasonText || reasonTexts[nudge.reason] || "";
    switch (nudge.state) {
      case "placed":
        target.appendChild(document.createTextNode(words.placed + " "));
        target.appendChild(format.timeElement(nudge.start, nudge.end, nudge.timeZone));
        target.appendChild(document.createTextNode(format.zoneLabel(nudge.timeZone) + "."));
        break;
      case "planned":
        target.textContent = words.planned;
        break;
      case "noSlot":
        target.textContent = "No good time found. " + reason;
        break;
      case "failed":
        target.textContent = "That didn't work out. " + (reason || "Please try again later.");
        break;
      case "cancelled":
        target.textContent = "Cancelled. " + reason;
        break;
      case "skipped":
        target.textContent = words.skipped || "Skipped. Nothing was added to any calendar.";
        break;
      default:
        target.textContent = nudge.state;
    }
  }

  function renderReflection(meeting, nudge) {
    var optedOut = state.me && state.me.optedOut;
    var none;
    if (!meeting.isOneOnOne) {
      none = "Nothing planned: reflections follow one-on-ones with your manager.";
    } else if (!meeting.ended) {
      none = "Once the meeting is over, BossTalk finds a quiet moment in your calendar to think it over.";
    } else if (optedOut) {
      none = "Nothing planned, because you've opted out.";
    } else {
      none = "No reflection yet. BossTalk plans one at its next check, or you can place it now.";
    }
    describe($("reflection-state"), nudge, {
      none: none,
      planned: "BossTalk is finding a quiet moment in your calendar…",
      placed: "A reflection is on your calendar:",
    });
    show("place-reflection", meeting.isOneOnOne && meeting.ended && !nudge && !optedOut);
    show("reflection", true);
  }

  function renderFollowUp(meeting, nudge) {
    var canAsk = meeting.isOneOnOne && meeting.ended;
    show("follow-up", canAsk);
    if (!canAsk) {
      return;
    }
    var invited = nudge && nudge.invite;
    describe($("follow-up-state"), nudge, {
      none: "Want to pick up the conversation? BossTalk can find a time that suits you both.",
      planned: "BossTalk is looking for a time that suits you both…",
      placed: invited ? "Your manager is invited:" : "A follow-up is held on your calendar:",
      skipped: "No follow-up this time. That's fine too.",
    });
    show("follow-up-form", !nudge && !(state.me && state.me.optedOut));
  }

  // ---------------------------------------------------------------- actions

  async function withBusy(button, action) {
    if (state.busy) {
      return;
    }
    state.busy = true;
    button.disabled = true;
    setError("");
    try {
      await action();
    } catch (error) {
      fail(error);
    } finally {
      state.busy = false;
      button.disabled = false;
    }
  }

  function delay(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  /**
   * After a 202: ask until the job is done (or give up politely), then redraw the meeting. Runs outside
   * withBusy, so the other buttons (opt out in particular) stay usable while a job waits.
   */
  async function follow(nudge, doneText) {
    var eventId = state.eventId;
    var started = Date.now();
    while (nudge.state === "planned" && Date.now() - started < pollTimeoutMs) {
      await delay(pollIntervalMs);
      nudge = await state.api.get("/nudges/" + encodeURIComponent(nudge.id));
    }
    if (state.eventId !== eventId) {
      return;
    }
    await loadMeeting(eventId);
    if (nudge.state === "planned") {
      setStatus("Still working on it. Check back in a minute.");
    } else if (nudge.state === "placed") {
      setStatus(doneText);
    } else if (nudge.state === "noSlot" || nudge.state === "failed") {
      setStatus("");
    }
  }

  function followInBackground(nudge, doneText) {
    follow(nudge, doneText).catch(fail);
  }

  $("place-reflection").addEventListener("click", function (event) {
    var button = event.currentTarget;
    withBusy(button, async function () {
      setStatus("Placing a reflection…");
      var nudge = await state.api.post("/meetings/" + encodeURIComponent(state.eventId) + "/reflection");
      renderReflection(state.meeting, nudge);
      setStatus(nudge.state === "planned" ? "BossTalk is finding a quiet moment in your calendar…" : "");
      followInBackground(nudge, "Your reflection is on your calendar.");
    });
  });

  $("invite-manager").addEventListener("change", function (event) {
    $("invite-warning").classList.toggle("emphasis", event.currentTarget.checked);
  });

  $("follow-up-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.currentTarget;
    var tone = form.elements.tone.value;
    var invite = $("invite-manager").checked && tone !== "skip";
    withBusy($("request-follow-up"), async function () {
      setStatus(tone === "skip" ? "Noting that you'd rather skip…" : "Looking for a time…");
      var nudge = await state.api.post("/meetings/" + encodeURIComponent(state.eventId) + "/follow-up", { tone: tone, invite: invite });
      renderFollowUp(state.meeting, nudge);
      if (nudge.state === "skipped") {
        setStatus("Noted. No follow-up this time.");
        return;
      }
      followInBackground(nudge, invite ? "Done. Your manager has been invited." : "Done. The follow-up is held on your calendar.");
    });
  });

  $("preferences-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.currentTarget;
    if (!form.reportValidity()) {
      return;
    }
    withBusy($("save-preferences"), async function () {
      try {
        var saved = await state.api.put("/me/preferences", {
          coolDownMinutes: Number($("pref-cooldown").value),
          reflectionMinutes: Number($("pref-length").value),
          counterpart: $("pref-counterpart-anyone").checked ? "anyOne" : "manager",
          paused: $("pref-paused").checked,
        });
        state.me.preferences = saved;
        renderMe();
        setStatus("Preferences saved.");
      } catch (error) {
        if (error instanceof bossTalk.api.ApiError && error.errors) {
          var messages = Object.keys(error.errors).map(function (key) { return error.errors[key].join(" "); });
          throw new Error("Please check your preferences. " + messages.join(" "));
        }
        throw error;
      }
    });
  });

  $("opt-out").addEventListener("click", function (event) {
    withBusy(event.currentTarget, async function () {
      var result = await state.api.post("/me/opt-out");
      await loadMe();
      if (state.eventId) {
        await loadMeeting(state.eventId);
      }
      var count = result.cancelledNudges || 0;
      setStatus("You've opted out. " + (count === 1 ? "1 pending item was cancelled." : count + " pending items were cancelled."));
      $("opt-in").focus();
    });
  });

  $("opt-in").addEventListener("click", function (event) {
    withBusy(event.currentTarget, async function () {
      await state.api.post("/me/opt-in");
      await loadMe();
      if (state.eventId) {
        await loadMeeting(state.eventId);
      }
      setStatus("Welcome back. BossTalk is on for you again.");
      $("opt-out").focus();
    });
  });

  start().catch(fail);
})(window.BossTalk = window.BossTalk || {});
