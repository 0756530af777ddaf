// Access tokens for our own API scope. In Outlook: nested app authentication (MSAL.js) where the host
// supports it, otherwise Office's own single sign-on. In the sandbox: the local development issuer, whose code is in
// js/preview/dev-sign-in.js and reaches this module only in sandbox mode (forOutlook's sandboxSignIn).
import { t } from "./i18n.js";

/** @typedef {import("./api.js").TokenSource} TokenSource */
/** @typedef {{ token: string, expiresAt: number }} Token */

/** Signing in failed; the message says why in the person's language. */
export class SignInError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "SignInError";
  }
}

const expirySlackMs = 2 * 60 * 1000;

/**
 * Caches one token until shortly before it expires.
 * @param {(forceRefresh: boolean) => Promise<Token>} fetchToken
 * @returns {TokenSource}
 */
export function cached(fetchToken) {
  /** @type {string | null} */
  let token = null;
  let expiresAt = 0;
  return async function (forceRefresh) {
    if (!forceRefresh && token && Date.now() < expiresAt - expirySlackMs) {
      return token;
    }
    const result = await fetchToken(forceRefresh === true);
    token = result.token;
    expiresAt = result.expiresAt;
    return token;
  };
}

/** @param {string} jwt */
function expiryOf(jwt) {
  try {
    const payload = JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return payload.exp * 1000;
  } catch (e) {
    return Date.now() + 5 * 60 * 1000;
  }
}

/** @param {import("./session.js").PaneConfig} config */
function nestedAppAuth(config) {
  /** @type {Promise<any> | null} */
  let clientPromise = null;
  /** @type {unknown} */
  let account = null;
  return cached(async function () {
    if (!clientPromise) {
      // MSAL.js's browser build (wwwroot/lib, a classic script loaded before the modules) defines window.msal.
      clientPromise = /** @type {any} */ (window).msal.createNestablePublicClientApplication({
        auth: { clientId: config.clientId, authority: config.authority },
      });
    }
    const client = await clientPromise;
    /** @type {{ scopes: string[], account?: unknown }} */
    const request = { scopes: [String(config.scope)] };
    if (account) {
      request.account = account;
    }
    let result;
    try {
      result = await client.acquireTokenSilent(request);
    } catch (silentError) {
      // Consent or a fresh sign-in is needed: Outlook shows its own prompt for the popup call.
      try {
        result = await client.acquireTokenPopup({ scopes: [String(config.scope)] });
      } catch (popupError) {
        throw new SignInError(t("signIn.failed"));
      }
    }
    account = result.account || account;
    return { token: result.accessToken, expiresAt: result.expiresOn ? new Date(result.expiresOn).getTime() : expiryOf(result.accessToken) };
  });
}

// Office's SSO error codes we have words for (i18n keys signIn.13001 …).
const officeSsoCodes = [13001, 13002, 13003, 13006, 13007, 13008, 13012, 13013];

/** Office's own single sign-on, for hosts without nested app authentication. */
function officeSso() {
  return cached(async function (forceRefresh) {
    try {
      const token = await Office.auth.getAccessToken(/** @type {Office.AuthOptions} */ ({ allowSignInPrompt: true, allowConsentPrompt: true, forMSGraphAccess: false, forceRefresh: forceRefresh }));
      return { token: token, expiresAt: expiryOf(token) };
    } catch (error) {
      const code = /** @type {{ code?: number }} */ (error || {}).code;
      throw new SignInError(t(code !== undefined && officeSsoCodes.indexOf(code) >= 0 ? "signIn." + code : "signIn.unsupported"));
    }
  });
}

function supportsNestedAppAuth() {
  try {
    return !!(Office.context.requirements && Office.context.requirements.isSetSupported("NestedAppAuth", "1.1"));
  } catch (e) {
    return false;
  }
}

/**
 * The token source for the pane inside Outlook. sandboxSignIn (sandbox mode only) signs in as the demo person whose
 * address is the mailbox's.
 * @param {import("./session.js").PaneConfig} config
 * @param {((emailAddress: string) => TokenSource) | null} [sandboxSignIn]
 * @returns {TokenSource}
 */
export function forOutlook(config, sandboxSignIn) {
  if (supportsNestedAppAuth() && /** @type {any} */ (window).msal && config.clientId && config.scope) {
    return nestedAppAuth(config);
  }
  if (config.sandbox && sandboxSignIn) {
    return sandboxSignIn(Office.context.mailbox.userProfile && Office.context.mailbox.userProfile.emailAddress);
  }
  if (typeof Office !== "undefined" && Office.auth && typeof Office.auth.getAccessToken === "function") {
    return officeSso();
  }
  return function () {
    return Promise.reject(new SignInError(t("signIn.outdated")));
  };
}
