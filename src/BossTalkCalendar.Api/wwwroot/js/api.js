// The add-in API (/api/v1): JSON in and out, problem details turned into ApiError.
(function (bossTalk) {
  "use strict";

  function ApiError(status, problem) {
    this.name = "ApiError";
    this.status = status;
    this.title = (problem && problem.title) || bossTalk.i18n.t("error.requestFailed");
    this.detail = (problem && problem.detail) || "";
    this.errors = (problem && problem.errors) || null;
    this.message = this.detail || this.title;
  }
  ApiError.prototype = Object.create(Error.prototype);

  async function readProblem(response) {
    try {
      return await response.json();
    } catch (e) {
      return null;
    }
  }

  /** getToken(forceRefresh) resolves to a bearer token; a 401 gets one fresh token and one retry. */
  function createApi(apiBase, getToken) {
    async function send(method, path, body, retried) {
      const token = await getToken(retried === true);
      const init = {
        method: method,
        headers: { Accept: "application/json", Authorization: "Bearer " + token },
        credentials: "omit",
        cache: "no-store",
      };
      if (body !== undefined) {
        init.headers["Content-Type"] = "application/json";
        init.body = JSON.stringify(body);
      }
      let response;
      try {
        response = await fetch(apiBase + path, init);
      } catch (e) {
        throw new ApiError(0, { title: bossTalk.i18n.t("error.unreachableTitle"), detail: bossTalk.i18n.t("error.unreachableDetail") });
      }
      if (response.status === 401 && retried !== true) {
        return send(method, path, body, true);
      }
      if (!response.ok) {
        throw new ApiError(response.status, await readProblem(response));
      }
      return response.status === 204 ? null : response.json();
    }

    return {
      get: function (path) { return send("GET", path); },
      put: function (path, body) { return send("PUT", path, body); },
      post: function (path, body) { return send("POST", path, body === undefined ? {} : body); },
    };
  }

  /** Anonymous sandbox calls (demo people, development sign-in). */
  async function anonymousJson(method, url, body) {
    const init = { method: method, headers: { Accept: "application/json" }, credentials: "omit", cache: "no-store" };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    if (!response.ok) {
      throw new ApiError(response.status, await readProblem(response));
    }
    return response.json();
  }

  bossTalk.api = { createApi: createApi, anonymousJson: anonymousJson, ApiError: ApiError };
})(window.BossTalk = window.BossTalk || {});
