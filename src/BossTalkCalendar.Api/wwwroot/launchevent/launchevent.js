// BossTalk's send-time alert: Outlook Smart Alerts, the OnMessageSend and OnAppointmentSend events (Mailbox 1.12).
// When a message goes to the user's manager alone, or a meeting request has the manager as a required attendee, and
// the last one-on-one with them ended within the cool-down (or was marked rough in the last day), Outlook shows a
// short, kind prompt with Send Anyway and "Find a time". Otherwise, and whenever anything is missing or slow, the item
// goes out at once. See docs/addin.md, "Send-time alert", for the Microsoft documentation this relies on.
//
// A classic script on purpose, unlike the task pane's ES modules: classic Outlook on Windows loads this one file into
// its JavaScript-only runtime, which supports no modules, no DOM and no localStorage, does not run Office.onReady, and
// only knows handlers registered with Office.actions.associate. Microsoft: "For classic Outlook on Windows, you must
// bundle all your event-handling JavaScript code into this JavaScript file referenced in the manifest"
// (https://learn.microsoft.com/office/dev/add-ins/outlook/troubleshoot-event-based-and-spam-reporting-add-ins, "Check
// manifest and JavaScript requirements"), so an import could load nothing there. The service serves it at /launchevent.js with its settings (BossTalkEventConfig) and
// MSAL.js in front of it; Outlook on the web, the new Outlook on Windows and Outlook on Mac load it from
// /launchevent.html instead.
(function (/** @type {any} */ root) {
  "use strict";

  /** @type {{ clientId?: string | null, scope?: string | null, authority?: string, apiUrl?: string }} */
  const config = root.BossTalkEventConfig || {};

  // Our own promise is 2 s; Outlook shows "taking longer than expected" after 5 s. The handler lets the item go
  // itself when its answer is not there in time (Outlook does not do that for us).
  const budgetMs = 1500;
  const maxRecipients = 50;

  // Our words in each language the product ships (the pane's are in i18n/*.json; this runtime cannot load them), by
  // Office's display language, English otherwise. "label" is the dialog button: Mailbox 1.14, at most 20 characters.
  /** @typedef {{ label: string, now: string, minutes: string, hour: string, hours: string, prompt: string }} Words */
  /** @type {Record<string, Words>} */
  const texts = {
    en: {
      label: "Find a time", now: "just a moment ago", minutes: "{n} minutes ago", hour: "about an hour ago", hours: "about {n} hours ago",
      prompt: "Your one-on-one with your manager ended {since}. A follow-up often lands better after a little time. "
        + "You can send it now, or let BossTalk find a good moment for it.",
    },
    de: {
      label: "Zeitpunkt finden", now: "gerade eben", minutes: "vor {n} Minuten", hour: "vor etwa einer Stunde", hours: "vor etwa {n} Stunden",
      prompt: "Dein Einzelgespräch mit deiner Führungskraft ist {since} zu Ende gegangen. Eine Nachricht kommt oft besser an, "
        + "wenn ein wenig Zeit vergangen ist. Du kannst sie jetzt senden oder BossTalk einen guten Moment dafür finden lassen.",
    },
    fr: {
      label: "Trouver un moment", now: "à l’instant", minutes: "il y a {n} minutes", hour: "il y a environ une heure", hours: "il y a environ {n} heures",
      prompt: "Votre entretien individuel avec votre responsable s’est terminé {since}. Un message passe souvent mieux avec "
        + "un peu de recul. Vous pouvez l’envoyer maintenant, ou laisser BossTalk trouver un bon moment.",
    },
    es: {
      label: "Buscar un momento", now: "hace un momento", minutes: "hace {n} minutos", hour: "hace más o menos una hora", hours: "hace unas {n} horas",
      prompt: "Tu reunión individual con tu responsable terminó {since}. Un seguimiento suele caer mejor si dejas pasar "
        + "un poco de tiempo. Puedes enviarlo ahora o dejar que BossTalk busque un buen momento.",
    },
    ja: {
      label: "時間を探す", now: "たった今", minutes: "{n} 分前", hour: "約 1 時間前", hours: "約 {n} 時間前",
      prompt: "上司との 1on1 が終わったのは{since}です。フォローアップは、少し時間をおいたほうが伝わりやすいものです。"
        + "このまま送信することも、BossTalk によい時間を探してもらうこともできます。",
    },
  };

  function words() {
    const display = (root.Office && Office.context && Office.context.displayLanguage) || "en";
    return texts[String(display).slice(0, 2).toLowerCase()] || texts.en;
  }

  // The task pane buttons on the compose surfaces (the same ids in both manifests); Mailbox 1.14 opens the pane
  // from the dialog with them.
  /** @type {Record<string, string>} */
  const paneCommands = {
    message: "BossTalkComposeOpenPaneButton",
    appointment: "BossTalkOrganizerOpenPaneButton",
  };

  /** @type {Promise<any> | null} */
  let clientPromise = null;

  /**
   * @param {any} item Office.js's item in compose mode
   */
  function itemKind(item) {
    const appointment = Office.MailboxEnums && Office.MailboxEnums.ItemType ? Office.MailboxEnums.ItemType.Appointment : "appointment";
    return item.itemType === appointment ? "appointment" : "message";
  }

  /**
   * The addresses of one recipients field (Recipients.getAsync, Mailbox 1.1); null when Outlook cannot say.
   * @param {any} field
   * @returns {Promise<string[] | null>}
   */
  function addressesOf(field) {
    return new Promise(function (resolve) {
      if (!field || typeof field.getAsync !== "function") {
        resolve(null);
        return;
      }
      field.getAsync(function (/** @type {Office.AsyncResult<Office.EmailAddressDetails[]>} */ result) {
        if (String(result.status) !== "succeeded" || !Array.isArray(result.value)) {
          resolve(null);
          return;
        }
        resolve(result.value
          .map(function (/** @type {Office.EmailAddressDetails | null} */ r) { return r && typeof r.emailAddress === "string" ? r.emailAddress.trim() : ""; })
          .filter(function (/** @type {string} */ address) { return address.length > 0; }));
      });
    });
  }

  /**
   * What to ask about: a message's To line when it holds exactly one address, or a meeting's required attendees.
   * Null when there is nothing to ask (so no call is made at all).
   * @param {any} item
   * @returns {Promise<{ kind: string, recipients: string[] } | null>}
   */
  async function target(item) {
    const kind = itemKind(item);
    const recipients = await addressesOf(kind === "appointment" ? item.requiredAttendees : item.to);
    if (!recipients || recipients.length === 0 || recipients.length > maxRecipients) {
      return null;
    }
    if (kind === "message" && recipients.length !== 1) {
      return null;
    }
    return { kind: kind, recipients: recipients };
  }

  /**
   * @param {string} name
   * @param {string} version
   */
  function supports(name, version) {
    try {
      return !!(Office.context.requirements && Office.context.requirements.isSetSupported(name, version));
    } catch (e) {
      return false;
    }
  }

  /**
   * A token for our API through nested app authentication, silently only: event handlers may not show a sign-in
   * (no popup, no Office dialog). The user consents once in the task pane. Null when that is not possible here.
   */
  async function accessToken() {
    const msal = root.msal;
    if (!config.clientId || !config.scope || !config.apiUrl || !supports("NestedAppAuth", "1.1")
      || !msal || typeof msal.createNestablePublicClientApplication !== "function") {
      return null;
    }
    if (!clientPromise) {
      // No cache location: the JavaScript-only runtime has no localStorage.
      clientPromise = msal.createNestablePublicClientApplication({ auth: { clientId: config.clientId, authority: config.authority } });
    }
    const client = await clientPromise;
    const result = await client.acquireTokenSilent({ scopes: [config.scope] });
    return result && result.accessToken ? result.accessToken : null;
  }

  /**
   * POST /api/v1/send-check: addresses and the kind only, never a subject or a body.
   * @param {{ kind: string, recipients: string[] }} question
   * @param {string} token
   * @returns {Promise<any>}
   */
  async function ask(question, token) {
    const response = await fetch(String(config.apiUrl), {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
      body: JSON.stringify(question),
    });
    return response.ok ? response.json() : null;
  }

  /**
   * @param {Words} w
   * @param {number} minutes
   */
  function sinceText(w, minutes) {
    if (minutes < 2) {
      return w.now;
    }
    if (minutes < 60) {
      return w.minutes.replace("{n}", String(minutes));
    }
    const hours = Math.round(minutes / 60);
    return hours === 1 ? w.hour : w.hours.replace("{n}", String(hours));
  }

  /**
   * Our words for the dialog (at most 500 characters). Outlook adds Send Anyway; "Find a time" opens the pane.
   * @param {Words} w
   * @param {number} minutes
   */
  function promptText(w, minutes) {
    return w.prompt.replace("{since}", sinceText(w, minutes));
  }

  /**
   * @param {string} kind
   * @param {number} minutes
   */
  function prompt(kind, minutes) {
    const w = words();
    /** @type {Record<string, unknown>} */
    const options = { allowEvent: false, errorMessage: promptText(w, minutes) };
    if (supports("Mailbox", "1.14")) {
      options.cancelLabel = w.label;
      options.commandId = paneCommands[kind];
      options.contextData = JSON.stringify({ source: "sendAlert" });
      // Prompt user whatever the manifest says: never a hard block.
      options.sendModeOverride = Office.MailboxEnums && Office.MailboxEnums.SendModeOverride
        ? Office.MailboxEnums.SendModeOverride.PromptUser
        : "promptUser";
    }
    return options;
  }

  /** The options to complete with: a prompt, or null for "let it go". */
  async function decide() {
    const item = Office.context.mailbox && Office.context.mailbox.item;
    if (!item) {
      return null;
    }
    const question = await target(item);
    if (!question) {
      return null;
    }
    const token = await accessToken();
    if (!token) {
      return null;
    }
    const answer = await ask(question, token);
    if (!answer || answer.verdict !== "suggestWaiting" || typeof answer.minutesSinceMeeting !== "number") {
      return null;
    }
    return prompt(question.kind, answer.minutesSinceMeeting);
  }

  /**
   * One handler for both events. Completes exactly once; anything but a clear "suggest waiting" lets the item go.
   * @param {{ completed: (options: any) => void }} event
   */
  function onSend(event) {
    let done = false;
    /** @type {ReturnType<typeof setTimeout> | null} */
    let timer = null;
    /** @param {unknown} [options] */
    function finish(options) {
      if (done) {
        return;
      }
      done = true;
      if (timer !== null) {
        clearTimeout(timer);
      }
      event.completed(options || { allowEvent: true });
    }
    timer = setTimeout(function () { finish({ allowEvent: true }); }, budgetMs);
    let decision;
    try {
      decision = decide();
    } catch (e) {
      finish({ allowEvent: true });
      return;
    }
    decision.then(finish, function () { finish({ allowEvent: true }); });
  }

  if (typeof Office !== "undefined" && Office.actions && typeof Office.actions.associate === "function") {
    Office.actions.associate("onMessageSendHandler", onSend);
    Office.actions.associate("onAppointmentSendHandler", onSend);
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
