// Shared page helpers: elements by id, the status line, the error line, and busy buttons.
(function (bossTalk) {
  "use strict";

  const t = bossTalk.i18n.t;

  function $(id) {
    return document.getElementById(id);
  }

  function show(id, visible) {
    $(id).hidden = !visible;
  }

  function setStatus(text) {
    $("status").textContent = text || "";
  }

  function setError(text) {
    const element = $("error");
    element.textContent = text || "";
    element.hidden = !text;
  }

  function describeError(error) {
    if (error instanceof bossTalk.api.ApiError) {
      if (error.status === 401) {
        return t("error.unauthorized");
      }
      if (error.status === 403 && !error.detail) {
        return t("error.forbidden");
      }
      if (error.status === 429) {
        return t("error.tooMany");
      }
      return error.detail ? error.title + ". " + error.detail : error.title + ".";
    }
    return error && error.message ? error.message : t("error.generic");
  }

  function fail(error) {
    setStatus("");
    setError(describeError(error));
  }

  // One action at a time across the whole pane.
  let busy = false;

  async function withBusy(button, action) {
    if (busy) {
      return;
    }
    busy = true;
    button.disabled = true;
    setError("");
    try {
      await action();
    } catch (error) {
      fail(error);
    } finally {
      busy = false;
      button.disabled = false;
    }
  }

  bossTalk.dom = { $: $, show: show, setStatus: setStatus, setError: setError, describeError: describeError, fail: fail, withBusy: withBusy };
})(window.BossTalk = window.BossTalk || {});
