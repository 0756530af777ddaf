// A test double of Office.js for the send-time handler (OnMessageSend / OnAppointmentSend). It gives the compose item
// the test seeds (window.__eventSeed, set before the page loads), keeps what the handler registers with
// Office.actions.associate, and lets the test raise a send: window.__raiseSend(name) resolves with every options
// object the handler passed to event.completed and how long after the send that first happened.
(function () {
  "use strict";
  var seed = window.__eventSeed || {};
  var handlers = {};

  function recipients(addresses) {
    return {
      getAsync: function (callback) {
        setTimeout(function () {
          if (seed.recipientsFail) {
            callback({ status: "failed", error: { message: "not available" } });
            return;
          }
          callback({
            status: "succeeded",
            value: (addresses || []).map(function (a) { return { emailAddress: a, displayName: "", recipientType: "user" }; }),
          });
        }, 0);
      },
    };
  }

  var item = {
    itemType: seed.itemType || "message",
    to: recipients(seed.to),
    cc: recipients(seed.cc),
    requiredAttendees: recipients(seed.requiredAttendees),
    optionalAttendees: recipients(seed.optionalAttendees),
  };

  function versionAtMost(version, highest) {
    var a = String(version).split(".").map(Number);
    var b = String(highest).split(".").map(Number);
    return a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
  }

  window.Office = {
    context: {
      mailbox: { item: item, userProfile: { emailAddress: seed.userEmail || "me@contoso.test" } },
      requirements: {
        isSetSupported: function (name, version) {
          if (name === "Mailbox") {
            return versionAtMost(version || "1.1", seed.mailboxVersion || "1.15");
          }
          if (name === "NestedAppAuth") {
            return seed.nestedAppAuth !== false;
          }
          return false;
        },
      },
    },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    MailboxEnums: {
      ItemType: { Message: "message", Appointment: "appointment" },
      SendModeOverride: { PromptUser: "promptUser" },
    },
    actions: {
      associate: function (name, handler) {
        handlers[name] = handler;
      },
    },
    onReady: function () { return Promise.resolve({ host: "Outlook" }); },
  };

  window.__registeredHandlers = function () { return Object.keys(handlers).sort(); };

  window.__raiseSend = function (name, waitAfterMs) {
    return new Promise(function (resolve, reject) {
      var handler = handlers[name];
      if (!handler) {
        reject(new Error("No handler registered as " + name));
        return;
      }
      var started = performance.now();
      var completions = [];
      var firstAt = null;
      var event = {
        type: name === "onAppointmentSendHandler" ? "appointmentSend" : "messageSend",
        completed: function (options) {
          // As JSON text: exactly what the handler passed, without the browser bridge adding anything.
          completions.push(JSON.stringify(options === undefined ? null : options));
          if (firstAt === null) {
            firstAt = performance.now() - started;
            // Wait a little longer, so a second completion would be seen too.
            setTimeout(function () { resolve({ completions: completions, elapsedMs: firstAt }); }, waitAfterMs || 300);
          }
        },
      };
      handler(event);
    });
  };
})();
