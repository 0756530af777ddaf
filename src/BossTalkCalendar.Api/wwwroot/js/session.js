// What the pane knows right now: its configuration, the signed-in API client, the caller and the open meeting.
(function (bossTalk) {
  "use strict";

  bossTalk.session = {
    config: JSON.parse(document.getElementById("taskpane-config").textContent),
    api: null,
    me: null,
    team: null,
    meeting: null,
    eventId: null,
    preview: false,
  };
})(window.BossTalk = window.BossTalk || {});
