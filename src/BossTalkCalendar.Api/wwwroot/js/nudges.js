// A nudge's state in words, shared by the reflection and follow-up cards.
(function (bossTalk) {
  "use strict";

  const format = bossTalk.format;

  const reasonTexts = {
    calendarFull: "Your calendar is full until then.",
    horizonPassed: "The right moment has passed.",
    noCommonWorkingTime: "You and your manager have no working time in common soon.",
    managerOutOfOffice: "Your manager is away.",
    meetingCancelled: "The meeting was cancelled.",
    optedOut: "You opted out.",
    mailboxForbidden: "BossTalk isn't allowed to use your calendar.",
    userNotFound: "Your account wasn't found.",
    graphUnavailable: "Your calendar couldn't be reached.",
  };

  /** The most recently changed nudge of one kind, or null. */
  function latest(nudges, kind) {
    return (nudges || [])
      .filter(function (n) { return n.kind === kind; })
      .sort(function (a, b) { return String(b.updatedAt).localeCompare(String(a.updatedAt)); })[0] || null;
  }

  /** Fills a state paragraph; placed nudges get a <time> with the API's timestamp. */
  function describe(target, nudge, words) {
    target.textContent = "";
    target.dataset.state = nudge ? nudge.state : "none";
    target.className = nudge && nudge.state === "placed" ? "state-placed" : nudge && (nudge.state === "noSlot" || nudge.state === "failed") ? "state-problem" : "";
    if (!nudge) {
      target.textContent = words.none;
      return;
    }
    const reason = nudge.reasonText || reasonTexts[nudge.reason] || "";
    switch (nudge.state) {
      case "placed":
        target.appendChild(document.createTextNode(words.placed + " "));
        target.appendChild(format.timeElement(nudge.start, nudge.end, nudge.timeZone));
        target.appendChild(document.createTextNode(format.zoneLabel(nudge.timeZone) + "."));
        break;
      case "planned":
        target.textContent = words.planned;
        break;
      case "noSlot":
        target.textContent = "No good time found. " + reason;
        break;
      case "failed":
        target.textContent = "That didn't work out. " + (reason || "Please try again later.");
        break;
      case "cancelled":
        target.textContent = "Cancelled. " + reason;
        break;
      case "skipped":
        target.textContent = words.skipped || "Skipped. Nothing was added to any calendar.";
        break;
      case "dismissed":
        target.textContent = words.dismissed || "Not needed this time.";
        break;
      case "removed":
        target.textContent = words.removed || "Taken off your calendar.";
        break;
      default:
        target.textContent = nudge.state;
    }
  }

  bossTalk.nudges = { latest: latest, describe: describe };
})(window.BossTalk = window.BossTalk || {});
