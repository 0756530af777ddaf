// Stands in for MSAL.js's nested app authentication in the send-time handler. The real MSAL.js is part of
// /launchevent.js and assigns window.msal; this keeps the double in place (the assignment lands on a throwaway object).
// window.__tokenSeed: "token" (default) answers at once, "reject" fails as a silent request needing interaction does,
// "hang" never answers. Every call is recorded in window.__msalCalls.
(function () {
  "use strict";
  var mode = window.__tokenSeed || "token";
  var calls = [];
  var double = {
    createNestablePublicClientApplication: function (configuration) {
      calls.push({ name: "create", args: [configuration] });
      return Promise.resolve({
        acquireTokenSilent: function (request) {
          calls.push({ name: "acquireTokenSilent", args: [request] });
          if (mode === "reject") {
            return Promise.reject(new Error("interaction_required"));
          }
          if (mode === "hang") {
            return new Promise(function () {});
          }
          return Promise.resolve({ accessToken: "token-from-naa", account: { username: "me@contoso.test" } });
        },
        acquireTokenPopup: function () {
          calls.push({ name: "acquireTokenPopup", args: [] });
          return Promise.reject(new Error("popups are not allowed in event handlers"));
        },
      });
    },
  };
  Object.defineProperty(window, "msal", { configurable: true, get: function () { return double; }, set: function () {} });
  window.__msalCalls = calls;
})();
