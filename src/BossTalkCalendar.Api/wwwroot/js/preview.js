// The sandbox's preview page (no Outlook): pick a demo person, sign in as them, and pick one of their meetings.
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const $ = dom.$;
  const show = dom.show;
  const format = bossTalk.format;
  const session = bossTalk.session;

  const roleNames = { manager: "manager", member: "team member" };

  /** onSignedIn runs after each sign-in that went through without a problem (the meeting asked for included). */
  async function start(onSignedIn) {
    session.preview = true;
    show("preview", true);
    const select = $("preview-user");
    try {
      const people = await bossTalk.api.anonymousJson("GET", session.config.apiBase + "/sandbox/users");
      people.forEach(function (person) {
        const option = document.createElement("option");
        option.value = person.userId;
        option.textContent = person.mail + " — " + (roleNames[person.role] || person.role) + (person.timeZone ? ", " + person.timeZone : "");
        select.appendChild(option);
      });
    } catch (error) {
      dom.fail(error);
    }
    $("preview-user-form").addEventListener("submit", function (event) {
      event.preventDefault();
      if (select.value) {
        signInAs(select.value).then(function (ok) {
          return ok && onSignedIn ? onSignedIn() : null;
        }).catch(dom.fail);
      }
    });
  }

  async function signInAs(userId) {
    dom.setError("");
    session.api = bossTalk.api.createApi(session.config.apiBase, bossTalk.auth.devIssuer(userId));
    session.meeting = null;
    session.team = null;
    bossTalk.meetingCard.hide();
    bossTalk.teamCard.hide();
    // Each part shows what it can: a failing settings call must not hide the person's meetings.
    let problem = null;
    try {
      await bossTalk.settingsCard.load();
    } catch (error) {
      problem = problem || error;
    }
    try {
      await listMeetings();
      const wanted = new URLSearchParams(window.location.search).get("eventId");
      if (wanted) {
        await bossTalk.meetingCard.load(wanted);
      }
    } catch (error) {
      problem = problem || error;
    }
    if (problem) {
      dom.fail(problem);
      return false;
    }
    dom.setStatus("Signed in to the sandbox.");
    return true;
  }

  async function listMeetings() {
    const list = $("preview-meetings");
    const empty = $("preview-meetings-empty");
    list.textContent = "";
    let meetings;
    try {
      meetings = await session.api.get("/meetings?days=7");
    } catch (error) {
      // Someone BossTalk isn't on for (the demo manager, or anyone before approval) has no meetings to show:
      // that's expected in the preview, not an error.
      if (error instanceof bossTalk.api.ApiError && error.status === 403 && session.me && !session.me.enrolled) {
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
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.dataset.eventId = meeting.eventId;
      button.setAttribute("aria-pressed", "false");
      button.appendChild(format.timeElement(meeting.start, meeting.end, meeting.timeZone));
      if (meeting.isOneOnOne) {
        const tag = document.createElement("span");
        tag.className = "tag";
        tag.textContent = "1:1 with your manager";
        button.appendChild(tag);
      }
      if (!meeting.ended) {
        const upcoming = document.createElement("span");
        upcoming.className = "tag";
        upcoming.textContent = "not over yet";
        button.appendChild(upcoming);
      }
      button.addEventListener("click", function () {
        dom.setError("");
        bossTalk.meetingCard.load(meeting.eventId).then(function () {
          $("meeting-title").focus();
        }, dom.fail);
      });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  /** Marks the chosen meeting in the list (a no-op inside Outlook, where there is no list). */
  function markSelected(eventId) {
    document.querySelectorAll("#preview-meetings button").forEach(function (button) {
      button.setAttribute("aria-pressed", button.dataset.eventId === eventId ? "true" : "false");
    });
  }

  bossTalk.preview = { start: start, markSelected: markSelected };
})(window.BossTalk = window.BossTalk || {});
