// The REST client: JSON in, JSON out; a problem detail (RFC 9457) becomes an ApiError.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

let pending = 0;
let waiters = [];

function busy(delta) {
  pending += delta;
  document.body.dataset.busy = pending > 0 ? "true" : "false";
  if (pending === 0) {
    const done = waiters;
    waiters = [];
    done.forEach((resolve) => resolve());
  }
}

/** Resolves when no request is in flight. */
export function settled() {
  return pending === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
}

/** JSON from the API; a problem detail becomes an ApiError carrying its `detail`. */
export async function api(path, options = {}) {
  busy(+1);
  try {
    let response;
    try {
      response = await fetch(path, {
        ...options,
        headers: { Accept: "application/json", ...(options.headers || {}) },
      });
    } catch (error) {
      throw new ApiError(`Could not reach the server: ${error.message}`, 0);
    }
    if (!response.ok) {
      let detail = response.statusText || "request failed";
      try {
        const body = await response.json();
        detail = body.detail || body.title || detail;
      } catch (_) {
        /* not JSON: keep the status text */
      }
      throw new ApiError(`${detail} (HTTP ${response.status})`, response.status);
    }
    return await response.json();
  } finally {
    busy(-1);
  }
}

/** A query string from the parameters that are set. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) q.set(k, v);
  return q.toString();
}
