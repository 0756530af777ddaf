// Access tokens for our own API scope. In Outlook: nested app authentication (MSAL.js) where the host
// supports it, otherwise Office's own single sign-on. In the sandbox: the local development issuer.
(function (bossTalk) {
  "use strict";

  function SignInError(message) {
    this.name = "SignInError";
    this.message = message;
  }
  SignInError.prototype = Object.create(Error.prototype);

  const expirySlackMs = 2 * 60 * 1000;

  /** Caches one token until shortly before it expires. */
  function cached(fetchToken) {
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

  function expiryOf(jwt) {
    try {
      const payload = JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      return payload.exp * 1000;
    } catch (e) {
      return Date.now() + 5 * 60 * 1000;
    }
  }

  /** Sandbox: sign in as a demo person through POST /dev-issuer/token. */
  function devIssuer(userId) {
    return cached(async function () {
      const response = await bossTalk.api.anonymousJson("POST", "/dev-issuer/token", { userId: userId });
      return { token: response.access_token, expiresAt: Date.now() + response.expires_in * 1000 };
    });
  }

  /** Sandbox inside an Outlook-like host: the demo person whose address is the mailbox's. */
  function devIssuerForMailbox(emailAddress) {
    let inner = null;
    return async function (forceRefresh) {
      if (!inner) {
        const people = await bossTalk.api.anonymousJson("GET", "/api/v1/sandbox/users");
        const wanted = (emailAddress || "").toLowerCase();
        const person = people.filter(function (p) { return (p.mail || "").toLowerCase() === wanted; })[0];
        if (!person) {
          throw new SignInError(bossTalk.i18n.t("signIn.notDemo"));
        }
        inner = devIssuer(person.userId);
      }
      return inner(forceRefresh);
    };
  }

  function nestedAppAuth(config) {
    let clientPromise = null;
    let account = null;
    return cached(async function () {
      if (!clientPromise) {
        clientPromise = window.msal.createNestablePublicClientApplication({
          auth: { clientId: config.clientId, authority: config.authority },
        });
      }
      const client = await clientPromise;
      const request = { scopes: [config.scope] };
      if (account) {
        request.account = account;
      }
      let result;
      try {
        result = await client.acquireTokenSilent(request);
      } catch (silentError) {
        // Consent or a fresh sign-in is needed: Outlook shows its own prompt for the popup call.
        try {
          result = await client.acquireTokenPopup({ scopes: [config.scope] });
        } catch (popupError) {
          throw new SignInError(bossTalk.i18n.t("signIn.failed"));
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
        const token = await Office.auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true, forMSGraphAccess: false, forceRefresh: forceRefresh });
        return { token: token, expiresAt: expiryOf(token) };
      } catch (error) {
        const code = error && error.code;
        throw new SignInError(bossTalk.i18n.t(officeSsoCodes.indexOf(code) >= 0 ? "signIn." + code : "signIn.unsupported"));
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

  /** The token source for the pane inside Outlook. */
  function forOutlook(config) {
    if (supportsNestedAppAuth() && window.msal && config.clientId && config.scope) {
      return nestedAppAuth(config);
    }
    if (config.sandbox) {
      return devIssuerForMailbox(Office.context.mailbox.userProfile && Office.context.mailbox.userProfile.emailAddress);
    }
    if (typeof Office !== "undefined" && Office.auth && typeof Office.auth.getAccessToken === "function") {
      return officeSso();
    }
    return function () {
      return Promise.reject(new SignInError(bossTalk.i18n.t("signIn.outdated")));
    };
  }

  bossTalk.auth = { forOutlook: forOutlook, devIssuer: devIssuer, SignInError: SignInError };
})(window.BossTalk = window.BossTalk || {});
