// The manager's team card (rollout, /api/v1/teams/mine): shown only when the API says the caller has a team.
import * as dom from "./dom.js";
import { ApiError } from "./api.js";
import * as format from "./format.js";
import { locale, onChange, t } from "./i18n.js";
import { api, session, setTeam } from "./session.js";

const $ = dom.$;
const show = dom.show;

/** Asks the API for the caller's team: a 404 means they are not a manager, and the card stays hidden. */
export async function load() {
  try {
    setTeam(await api().get("/teams/mine"));
  } catch (error) {
    setTeam(null);
    render();
    // Someone who manages nobody must never see a team error; a manager needs to know the card is missing.
    if ((error instanceof ApiError && error.status === 404) || !(session.me && session.me.isManager)) {
      return;
    }
    throw error;
  }
  render();
}

/**
 * A team figure is a count, or withheld by the API because it would concern fewer than 5 people.
 * @param {string} id
 * @param {import("./session.js").Figure | undefined} figure
 */
function showFigure(id, figure) {
  const count = figure ? figure.count : undefined;
  const withheld = typeof count !== "number";
  $(id).textContent = typeof count !== "number" ? t("team.fewerThan5") : new Intl.NumberFormat(locale()).format(count);
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
  show("team-slot", true);
}

export function hide() {
  show("team-slot", false);
}

/**
 * @param {boolean} returnFocus
 */
function hideRevokeConfirm(returnFocus) {
  show("team-revoke-confirm", false);
  $("team-revoke").setAttribute("aria-expanded", "false");
  if (returnFocus) {
    $("team-revoke").focus();
  }
}

/**
 * @param {string} path
 * @param {string} doneText
 */
async function change(path, doneText) {
  setTeam(await api().post("/teams/mine/" + path));
  render();
  dom.setStatus(doneText);
  $("team-state").focus();
}

export function wire() {
  $("team-approve").addEventListener("click", function (event) {
    dom.withBusy(/** @type {HTMLButtonElement} */ (event.currentTarget), async function () {
      dom.setStatus(t("team.approving"));
      await change("approve", t("team.approved"));
    });
  });

  $("team-revoke").addEventListener("click", function (event) {
    /** @type {HTMLElement} */ (event.currentTarget).setAttribute("aria-expanded", "true");
    show("team-revoke-confirm", true);
    $("team-revoke-question").focus();
  });

  $("team-revoke-no").addEventListener("click", function () {
    hideRevokeConfirm(true);
  });

  $("team-revoke-yes").addEventListener("click", function (event) {
    dom.withBusy(/** @type {HTMLButtonElement} */ (event.currentTarget), async function () {
      dom.setStatus(t("team.revoking"));
      await change("revoke", t("team.revoked"));
    });
  });
}

// A language change in the preview: redraw the card (its sweep line, if any, is cleared like on any redraw).
onChange(function () {
  if (session.team && !$("team-slot").hidden) {
    render();
  }
});
