// The sandbox's preview page (no Outlook): pick a language, a demo person, sign in as them, and pick one of their
// meetings. The language picker stands in for Office's display language, which a plain browser does not have.
// Also the team card's "Sandbox only" box (run the first sweep as the demo administrator). Sandbox mode only: the
// entry module imports this file only when the server says it runs in sandbox mode, and the server serves
// js/preview/* only then (TaskPaneSite); the markup it drives is stripped from the page otherwise.
import * as dom from "../dom.js";
import { anonymousJson, ApiError, createApi } from "../api.js";
import * as format from "../format.js";
import * as i18n from "../i18n.js";
import * as meetingCard from "../meeting-card.js";
import { api, config, session, setApi, setMeeting, setPreview, setTeam, subscribe } from "../session.js";
import * as settingsCard from "../settings-card.js";
import * as teamCard from "../team-card.js";
import { adminApi, devIssuer, devIssuerForMailbox } from "./dev-sign-in.js";

const $ = dom.$;
const show = dom.show;
const t = i18n.t;

/** @typedef {{ userId: string, mail: string, role: string, timeZone?: string }} DemoPerson */
/** @typedef {import("../session.js").Meeting} Meeting */

/** @type {Record<string, string>} */
const roleKeys = { manager: "preview.roleManager", member: "preview.roleMember" };

// What the preview last drew, so a language change can draw it again without asking the API.
/** @type {DemoPerson[]} */
let people = [];
/** @type {Meeting[] | null} */
let meetings = null;
/** @type {string | null} */
let meetingsNote = null;

/**
 * @param {DemoPerson} person
 */
function personText(person) {
  return person.mail + " — " + (roleKeys[person.role] ? t(roleKeys[person.role]) : person.role) + (person.timeZone ? ", " + person.timeZone : "");
}

function fillPeople() {
  const select = dom.select("preview-user");
  Array.prototype.slice.call(select.options, 1).forEach(function (/** @type {HTMLOptionElement} */ option) {
    const person = people.filter(function (p) { return p.userId === option.value; })[0];
    if (person) {
      option.textContent = personText(person);
    }
  });
}

/** The language picker: our languages in their own names, the pseudo-locale last; the choice stays in the address. */
function startLanguagePicker() {
  const picker = dom.select("preview-language");
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

/**
 * onSignedIn runs after each sign-in that went through without a problem (the meeting asked for included).
 * @param {() => Promise<void>} [onSignedIn]
 */
export async function start(onSignedIn) {
  wireSweep();
  setPreview(true);
  startLanguagePicker();
  show("preview", true);
  const select = dom.select("preview-user");
  try {
    people = await anonymousJson("GET", config.apiBase + "/sandbox/users");
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

/**
 * @param {string} userId
 * @returns {Promise<boolean>}
 */
async function signInAs(userId) {
  dom.setError("");
  setApi(createApi(config.apiBase, devIssuer(userId)));
  setMeeting(null);
  setTeam(null);
  meetingCard.hide();
  teamCard.hide();
  // Each part shows what it can: a failing settings call must not hide the person's meetings.
  let problem = null;
  try {
    await settingsCard.load();
  } catch (error) {
    problem = problem || error;
  }
  try {
    await listMeetings();
    const wanted = new URLSearchParams(window.location.search).get("eventId");
    if (wanted) {
      await meetingCard.load(wanted);
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
    found = await api().get("/meetings?days=7");
  } catch (error) {
    // Someone BossTalk isn't on for (the demo manager, or anyone before approval) has no meetings to show:
    // that's expected in the preview, not an error.
    if (error instanceof ApiError && error.status === 403 && session.me && !session.me.enrolled) {
      meetingsNote = "preview.notOn";
      empty.textContent = t(meetingsNote);
      show("preview-meetings-empty", true);
      show("preview-meetings-area", true);
      return;
    }
    throw error;
  }
  meetings = found;
  drawMeetings(found);
  show("preview-meetings-area", true);
}

/**
 * @param {Meeting[]} all
 */
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
      meetingCard.load(meeting.eventId).then(function () {
        $("meeting-title").focus();
      }, dom.fail);
    });
    item.appendChild(button);
    list.appendChild(item);
  });
  markSelected(selected);
}

/**
 * Marks the chosen meeting in the list (a no-op inside Outlook, where there is no list).
 * @param {string | null} eventId
 */
function markSelected(eventId) {
  document.querySelectorAll("#preview-meetings button").forEach(function (element) {
    const button = /** @type {HTMLButtonElement} */ (element);
    button.setAttribute("aria-pressed", button.dataset.eventId === eventId ? "true" : "false");
  });
}

// The meeting the pane works on changes (a click in the list, a reflection block's id answered with its one-on-one).
subscribe("eventId", markSelected);

/** The sweep helper exists for the sandbox's preview page only, never inside Outlook or outside the sandbox. */
function showSweep() {
  const team = session.team;
  show("team-sandbox", !!team && team.state === "approved" && session.preview);
  $("team-sweep-result").textContent = "";
}

// Redrawn with the team card: after each answer about the team, and on a language change (which clears the line).
subscribe("team", showSweep);
subscribe("preview", showSweep);
i18n.onChange(function () {
  if (session.team && !$("team-slot").hidden) {
    showSweep();
  }
});

function wireSweep() {
  $("team-sweep").addEventListener("click", function (event) {
    dom.withBusy(/** @type {HTMLButtonElement} */ (event.currentTarget), async function () {
      $("team-sweep-result").textContent = t("team.sweepAsking");
      try {
        const admin = await adminApi();
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

/** Sandbox inside an Outlook-like host: signs in as the demo person whose address is the mailbox's. */
export const signInForMailbox = devIssuerForMailbox;
