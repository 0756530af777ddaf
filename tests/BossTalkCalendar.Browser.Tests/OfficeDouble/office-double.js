// A test double of Office.js for Outlook, in the spirit of office-addin-mock: it returns what the test seeds
// (window.__officeSeed, set before the page loads) and records the calls the task pane makes. The one piece
// of Outlook behaviour it imitates is convertToRestId, which maps an EWS id to its REST form the way Outlook
// does ('+' -> '_', '/' -> '-').
(function () {
  "use strict";
  var seed = window.__officeSeed || {};
  var calls = [];

  function record(name, args) {
    calls.push({ name: name, args: Array.prototype.slice.call(args) });
  }

  function attendee(address) {
    return { emailAddress: address, displayName: "", recipientType: "user", appointmentResponse: "accepted" };
  }

  var itemHandlers = {};

  var item = {
    itemType: seed.itemType || "appointment",
    itemClass: seed.itemType === "message" ? "IPM.Note" : "IPM.Appointment",
    itemId: seed.itemId,
    start: new Date(seed.start),
    end: new Date(seed.end),
    organizer: attendee(seed.organizer),
    requiredAttendees: (seed.attendees || []).map(attendee),
    optionalAttendees: [],
    // What Outlook hands a pane opened by a Smart Alerts button (contextData); absent when the seed has none.
    addHandlerAsync: function (type, handler, options, callback) {
      record("addHandlerAsync", [type]);
      (itemHandlers[type] = itemHandlers[type] || []).push(handler);
      var done = typeof options === "function" ? options : callback;
      if (done) {
        setTimeout(function () { done({ status: "succeeded" }); }, 0);
      }
    },
    getInitializationContextAsync: function (callback) {
      record("getInitializationContextAsync", arguments);
      setTimeout(function () {
        callback(seed.initializationContext
          ? { status: "succeeded", value: seed.initializationContext }
          : { status: "failed", error: { code: 9057, message: "No initialization context" } });
      }, 0);
    },
  };

  var mailbox = {
    item: item,
    userProfile: { emailAddress: seed.userEmail, displayName: "", timeZone: seed.timeZone || "UTC", accountType: "enterprise" },
    diagnostics: { hostName: seed.hostName || "OutlookWebApp", hostVersion: "16.0", OWAView: "OneColumn" },
    convertToRestId: function (id, version) {
      record("convertToRestId", arguments);
      if (seed.hostName === "OutlookIOS" || seed.hostName === "OutlookAndroid") {
        throw new Error("convertToRestId is not supported on Outlook mobile");
      }
      if (version !== "v2.0") {
        throw new Error("Unexpected REST version " + version);
      }
      return id.replace(/\+/g, "_").replace(/\//g, "-");
    },
  };

  window.Office = {
    context: {
      mailbox: mailbox,
      // Office's UI language; like Outlook's, always set (the browser's when the test names none).
      displayLanguage: seed.displayLanguage || navigator.language,
      requirements: {
        isSetSupported: function (name, version) {
          record("isSetSupported", arguments);
          return name === "Mailbox";
        },
      },
      diagnostics: { host: "Outlook", platform: "OfficeOnline", version: "16.0" },
    },
    MailboxEnums: {
      RestVersion: { v1_0: "v1.0", v2_0: "v2.0", Beta: "beta" },
      ItemType: { Message: "message", Appointment: "appointment" },
    },
    EventType: { InitializationContextChanged: "olkInitializationContextChanged" },
    HostType: { Outlook: "Outlook" },
    PlatformType: { OfficeOnline: "OfficeOnline" },
    onReady: function (callback) {
      record("onReady", arguments);
      var info = { host: "Outlook", platform: "OfficeOnline" };
      if (callback) {
        setTimeout(function () { callback(info); }, 0);
      }
      return Promise.resolve(info);
    },
    auth: {
      getAccessToken: function () {
        record("getAccessToken", arguments);
        return Promise.reject({ code: 13000, message: "not in this double" });
      },
    },
  };

  window.__officeDoubleCalls = calls;

  // What Outlook does when a Smart Alerts button targets a pane that is already open.
  window.__raiseInitializationContextChanged = function (data) {
    (itemHandlers[window.Office.EventType.InitializationContextChanged] || []).forEach(function (handler) {
      handler({ type: "olkInitializationContextChanged", initializationContextData: data });
    });
  };
})();
