// The add-in API (/api/v1): JSON in and out, problem details turned into ApiError.
import { t } from "./i18n.js";

/** @typedef {{ title?: string, detail?: string, errors?: Record<string, string[]> } | null} Problem */

/** A problem details answer (or no answer at all: status 0). */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {Problem} problem
   */
  constructor(status, problem) {
    const title = (problem && problem.title) || t("error.requestFailed");
    const detail = (problem && problem.detail) || "";
    super(detail || title);
    this.name = "ApiError";
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = (problem && problem.errors) || null;
  }
}

/**
 * @param {Response} response
 * @returns {Promise<Problem>}
 */
async function readProblem(response) {
  try {
    return await response.json();
  } catch (e) {
    return null;
  }
}

/** @typedef {(forceRefresh?: boolean) => Promise<string>} TokenSource */

/**
 * getToken(forceRefresh) resolves to a bearer token; a 401 gets one fresh token and one retry.
 * @param {string} apiBase
 * @param {TokenSource} getToken
 * @returns {import("./session.js").Api}
 */
export function createApi(apiBase, getToken) {
  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @param {boolean} [retried]
   * @returns {Promise<any>}
   */
  async function send(method, path, body, retried) {
    const token = await getToken(retried === true);
    /** @type {Record<string, string>} */
    const headers = { Accept: "application/json", Authorization: "Bearer " + token };
    /** @type {RequestInit} */
    const init = {
      method: method,
      headers: headers,
      credentials: "omit",
      cache: "no-store",
    };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(apiBase + path, init);
    } catch (e) {
      throw new ApiError(0, { title: t("error.unreachableTitle"), detail: t("error.unreachableDetail") });
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
    get: function (/** @type {string} */ path) { return send("GET", path); },
    put: function (/** @type {string} */ path, /** @type {unknown} */ body) { return send("PUT", path, body); },
    post: function (/** @type {string} */ path, /** @type {unknown} */ body) { return send("POST", path, body === undefined ? {} : body); },
  };
}

/**
 * Anonymous sandbox calls (demo people, development sign-in).
 * @param {string} method
 * @param {string} url
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
export async function anonymousJson(method, url, body) {
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json" };
  /** @type {RequestInit} */
  const init = { method: method, headers: headers, credentials: "omit", cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  if (!response.ok) {
    throw new ApiError(response.status, await readProblem(response));
  }
  return response.json();
}
