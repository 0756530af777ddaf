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
          throw new SignInError("This mailbox isn't one of the sandbox's demo people, so the sandbox can't sign you in.");
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
          throw new SignInError("We couldn't sign you in. If a sign-in window was blocked or closed, try again.");
        }
      }
      account = result.account || account;
      return { token: result.accessToken, expiresAt: result.expiresOn ? new Date(result.expiresOn).getTime() : expiryOf(result.accessToken) };
    });
  }

  const officeSsoMessages = {
    13001: "You're not signed in to Outlook. Sign in, then open BossTalk again.",
    13002: "Sign-in was cancelled. Open BossTalk again when you're ready.",
    13003: "This kind of account isn't supported. BossTalk needs a work or school account.",
    13006: "Outlook couldn't finish signing you in. Close and reopen the pane.",
    13007: "Sign-in isn't set up for your organisation yet. Please contact your IT team.",
    13008: "Sign-in is still in progress. Wait a moment, then try again.",
    13012: "This version of Outlook can't sign BossTalk in. Try Outlook on the web or the desktop app.",
    13013: "Too many sign-in attempts. Wait a minute, then try again.",
  };

  /** Office's own single sign-on, for hosts without nested app authentication. */
  function officeSso() {
    return cached(async function (forceRefresh) {
      try {
        const token = await Office.auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true, forMSGraphAccess: false, forceRefresh: forceRefresh });
        return { token: token, expiresAt: expiryOf(token) };
      } catch (error) {
        const code = error && error.code;
        throw new SignInError(officeSsoMessages[code] || "We couldn't sign you in to BossTalk from this version of Outlook.");
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
      return Promise.reject(new SignInError("This version of Outlook can't sign you in to BossTalk. Try Outlook on the web or update Outlook."));
    };
  }

  bossTalk.auth = { forOutlook: forOutlook, devIssuer: devIssuer, SignInError: SignInError };
})(window.BossTalk = window.BossTalk || {});
