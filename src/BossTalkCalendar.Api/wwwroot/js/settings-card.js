// The caller's own settings: the preferences card and the taking-part card (opt out, opt back in).
(function (bossTalk) {
  "use strict";

  const dom = bossTalk.dom;
  const $ = dom.$;
  const show = dom.show;
  const session = bossTalk.session;
  const t = bossTalk.i18n.t;

  /** Reads /me, fills both cards, then the team card (which depends on who the caller is). */
  async function load() {
    session.me = await session.api.get("/me");
    render();
    await bossTalk.teamCard.load();
  }

  function render() {
    const me = session.me;
    const prefs = me.preferences || {};
    $("pref-cooldown").value = prefs.coolDownMinutes;
    $("pref-length").value = prefs.reflectionMinutes;
    $("pref-counterpart-manager").checked = prefs.counterpart !== "anyOne";
    $("pref-counterpart-anyone").checked = prefs.counterpart === "anyOne";
    $("pref-paused").checked = !!prefs.paused;
    $("pref-send-alert").checked = prefs.sendAlert !== false;
    checkRadio("mode", prefs.mode);
    checkRadio("relationship", prefs.relationship);
    // Shown only when the API knows these settings (an older service would refuse them).
    show("pref-mode-group", "mode" in prefs);
    show("pref-relationship-group", "relationship" in prefs);
    show("pref-send-alert-choice", "sendAlert" in prefs);
    show("preferences", true);

    const text = me.optedOut
      ? t("participation.optedOut")
      : me.enrolled
        ? (prefs.paused ? t("participation.paused") : t("participation.on"))
        : t("participation.notYet");
    $("participation-state").textContent = text;
    show("opt-out", !me.optedOut);
    show("opt-in", me.optedOut);
    show("participation", true);
  }

  /** Checks the radio of a group whose value matches; none when the value is null or unknown. */
  function checkRadio(name, value) {
    $("preferences-form").querySelectorAll("input[name=\"" + name + "\"]").forEach(function (input) {
      input.checked = input.value === value;
    });
  }

  function checkedValue(name) {
    const checked = $("preferences-form").querySelector("input[name=\"" + name + "\"]:checked");
    return checked ? checked.value : null;
  }

  /** The PUT body: only what the form holds; mode and relationship only where the API has them and one is chosen. */
  function preferencesBody() {
    const prefs = (session.me && session.me.preferences) || {};
    const body = {
      coolDownMinutes: Number($("pref-cooldown").value),
      reflectionMinutes: Number($("pref-length").value),
      counterpart: $("pref-counterpart-anyone").checked ? "anyOne" : "manager",
      paused: $("pref-paused").checked,
    };
    if ("sendAlert" in prefs) {
      body.sendAlert = $("pref-send-alert").checked;
    }
    ["mode", "relationship"].forEach(function (name) {
      const value = checkedValue(name);
      if (name in prefs && value) {
        body[name] = value;
      }
    });
    return body;
  }

  async function reloadAfterParticipationChange() {
    await load();
    if (session.eventId) {
      await bossTalk.meetingCard.load(session.eventId);
    }
  }

  function wire() {
    $("preferences-form").addEventListener("submit", function (event) {
      event.preventDefault();
      const form = event.currentTarget;
      if (!form.reportValidity()) {
        return;
      }
      dom.withBusy($("save-preferences"), async function () {
        try {
          const saved = await session.api.put("/me/preferences", preferencesBody());
          session.me.preferences = saved;
          render();
          dom.setStatus(t("prefs.saved"));
        } catch (error) {
          if (error instanceof bossTalk.api.ApiError && error.errors) {
            const messages = Object.keys(error.errors).map(function (key) { return error.errors[key].join(" "); });
            throw new Error(t("prefs.check", { details: messages.join(" ") }));
          }
          throw error;
        }
      });
    });

    $("opt-out").addEventListener("click", function (event) {
      dom.withBusy(event.currentTarget, async function () {
        const result = await session.api.post("/me/opt-out");
        await reloadAfterParticipationChange();
        const count = result.cancelledNudges || 0;
        // The language's own plural rule: French says "0 élément", English "0 items".
        const one = new Intl.PluralRules(bossTalk.i18n.locale()).select(count) === "one";
        dom.setStatus(one ? t("participation.optedOutOne", { count: count }) : t("participation.optedOutMany", { count: count }));
        $("opt-in").focus();
      });
    });

    $("opt-in").addEventListener("click", function (event) {
      dom.withBusy(event.currentTarget, async function () {
        await session.api.post("/me/opt-in");
        await reloadAfterParticipationChange();
        dom.setStatus(t("participation.welcomeBack"));
        $("opt-out").focus();
      });
    });
  }

  // A language change in the preview: the participation line is redrawn (the form's labels are static text).
  bossTalk.i18n.onChange(function () {
    if (session.me && !$("participation").hidden) {
      render();
    }
  });

  bossTalk.settingsCard = { load: load, wire: wire };
})(window.BossTalk = window.BossTalk || {});
