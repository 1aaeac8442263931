// Calls to the management API with the session cookie and the session's CSRF token.
const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `HTTP ${status}`);
    this.status = status;
    this.field = error?.field || "";
    this.rule = error?.rule || "";
  }
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrf;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
    throw new ApiError(401, { message: "Your session ended: log in again." });
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data.error);
  return data;
}

export const get = (path) => api("GET", path);
export const post = (path, body = {}) => api("POST", path, body);
export const patch = (path, body) => api("PATCH", path, body);
export const put = (path, body = {}) => api("PUT", path, body);
export const del = (path) => api("DELETE", path);

// The newest accepted event of a destination's connected sources, or null: what "Load
// event from source" fills in. Rejected events (failed on ingest) never reach a
// destination, so they are skipped.
export async function latestSourceEvent(destinationId) {
  const { source_ids: sources } = await get(`/destinations/${destinationId}`);
  for (const sourceId of sources || []) {
    const { events } = await get(`/sources/${sourceId}/events?limit=20`);
    const accepted = (events || []).find((entry) => entry.verdict !== "rejected");
    if (accepted) return accepted.event;
  }
  return null;
}
