// Sandbox only: signing in through the service's local development issuer (POST /dev-issuer/token), as a demo
// person or as the demo administrator. The service serves js/preview/* only in sandbox mode (TaskPaneSite), so none
// of this, and no demo id, reaches a production pane.
import { anonymousJson, createApi } from "../api.js";
import { cached, SignInError } from "../auth.js";
import { t } from "../i18n.js";
import { config } from "../session.js";

/** @typedef {import("../api.js").TokenSource} TokenSource */

// The sandbox's stand-in administrator (DemoTenant.AdminId): a separate identity, so the demo manager's own token
// never carries the admin role. Only the development issuer (sandbox mode, this machine) hands out its token.
const sandboxAdminId = "b05a1c00-0000-4000-8000-0000000000ad";

/**
 * Signs in as a demo person.
 * @param {string} userId
 * @returns {TokenSource}
 */
export function devIssuer(userId) {
  return cached(async function () {
    const response = await anonymousJson("POST", "/dev-issuer/token", { userId: userId });
    return { token: response.access_token, expiresAt: Date.now() + response.expires_in * 1000 };
  });
}

/**
 * Sandbox inside an Outlook-like host: the demo person whose address is the mailbox's.
 * @param {string} emailAddress
 * @returns {TokenSource}
 */
export function devIssuerForMailbox(emailAddress) {
  /** @type {TokenSource | null} */
  let inner = null;
  return async function (forceRefresh) {
    if (!inner) {
      /** @type {Array<{ userId: string, mail?: string }>} */
      const people = await anonymousJson("GET", config.apiBase + "/sandbox/users");
      const wanted = (emailAddress || "").toLowerCase();
      const person = people.filter(function (p) { return (p.mail || "").toLowerCase() === wanted; })[0];
      if (!person) {
        throw new SignInError(t("signIn.notDemo"));
      }
      inner = devIssuer(person.userId);
    }
    return inner(forceRefresh);
  };
}

/** An API client signed in as the demo administrator (for "Run the first sweep now"). */
export async function adminApi() {
  const token = await anonymousJson("POST", "/dev-issuer/token", { userId: sandboxAdminId, admin: true });
  return createApi(config.apiBase, function () { return Promise.resolve(String(token.access_token)); });
}
