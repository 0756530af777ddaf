// The sandbox's preview page (no Outlook): pick a language, a demo person, sign in as them, and pick one of their
// meetings. The language picker stands in for Office's display language, which a plain browser does not have.
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const $ = dom.$;
  const show = dom.show;
  const format = bossTalk.format;
  const session = bossTalk.session;
  const i18n = bossTalk.i18n;
  const t = i18n.t;

  const roleKeys = { manager: "preview.roleManager", member: "preview.roleMember" };

  // What the preview last drew, so a language change can draw it again without asking the API.
  let people = [];
  let meetings = null;
  let meetingsNote = null;

  function personText(person) {
    return person.mail + " — " + (roleKeys[person.role] ? t(roleKeys[person.role]) : person.role) + (person.timeZone ? ", " + person.timeZone : "");
  }

  function fillPeople() {
    const select = $("preview-user");
    Array.prototype.slice.call(select.options, 1).forEach(function (option) {
      const person = people.filter(function (p) { return p.userId === option.value; })[0];
      if (person) {
        option.textContent = personText(person);
      }
    });
  }

  /** The language picker: our languages in their own names, the pseudo-locale last; the choice stays in the address. */
  function startLanguagePicker() {
    const picker = $("preview-language");
    picker.textContent = "";
    i18n.choices().forEach(function (choice) {
      const option = document.createElement("option");
      option.value = choice.code;
      option.textContent = choice.name;
      option.lang = choice.code === i18n.pseudoLocale ? "en" : choice.code;
      picker.appendChild(option);
    });
    picker.value = i18n.language();
    picker.addEventListener("change", function () {
      i18n.setLanguage(picker.value);
      const params = new URLSearchParams(window.location.search);
      params.set("lang", picker.value);
      window.history.replaceState(window.history.state, "", window.location.pathname + "?" + params.toString() + window.location.hash);
    });
  }

  i18n.onChange(function () {
    if (!session.preview) {
      return;
    }
    fillPeople();
    if (meetings) {
      drawMeetings(meetings);
    } else if (meetingsNote) {
      $("preview-meetings-empty").textContent = t(meetingsNote);
    }
  });

  /** onSignedIn runs after each sign-in that went through without a problem (the meeting asked for included). */
  async function start(onSignedIn) {
    session.preview = true;
    startLanguagePicker();
    show("preview", true);
    const select = $("preview-user");
    try {
      people = await bossTalk.api.anonymousJson("GET", session.config.apiBase + "/sandbox/users");
      people.forEach(function (person) {
        const option = document.createElement("option");
        option.value = person.userId;
        option.textContent = personText(person);
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
    dom.setStatus(t("preview.signedIn"));
    return true;
  }

  async function listMeetings() {
    const list = $("preview-meetings");
    const empty = $("preview-meetings-empty");
    list.textContent = "";
    meetings = null;
    meetingsNote = null;
    let found;
    try {
      found = await session.api.get("/meetings?days=7");
    } catch (error) {
      // Someone BossTalk isn't on for (the demo manager, or anyone before approval) has no meetings to show:
      // that's expected in the preview, not an error.
      if (error instanceof bossTalk.api.ApiError && error.status === 403 && session.me && !session.me.enrolled) {
        meetingsNote = "preview.notOn";
        empty.textContent = t(meetingsNote);
        show("preview-meetings-empty", true);
        show("preview-meetings-area", true);
        return;
      }
      throw error;
    }
    meetings = found;
    drawMeetings(meetings);
    show("preview-meetings-area", true);
  }

  function drawMeetings(all) {
    const list = $("preview-meetings");
    const empty = $("preview-meetings-empty");
    const selected = session.eventId;
    list.textContent = "";
    empty.textContent = t("preview.noMeetings");
    show("preview-meetings-empty", all.length === 0);
    all.forEach(function (meeting) {
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
        tag.textContent = t("preview.tagOneOnOne");
        button.appendChild(tag);
      }
      if (!meeting.ended) {
        const upcoming = document.createElement("span");
        upcoming.className = "tag";
        upcoming.textContent = t("preview.tagNotOver");
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
    markSelected(selected);
  }

  /** Marks the chosen meeting in the list (a no-op inside Outlook, where there is no list). */
  function markSelected(eventId) {
    document.querySelectorAll("#preview-meetings button").forEach(function (button) {
      button.setAttribute("aria-pressed", button.dataset.eventId === eventId ? "true" : "false");
    });
  }

  bossTalk.preview = { start: start, markSelected: markSelected };
})(window.BossTalk = window.BossTalk || {});
