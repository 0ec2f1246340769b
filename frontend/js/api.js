// The pet store's HTTP API: JSON in and out, the Cognito ID token in Authorization,
// errors turned into messages for people.

export class ApiError extends Error {
  constructor(status, code, message, body = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

const STATUS_MESSAGES = {
  400: "The store could not understand that request.",
  401: "Your session has ended. Please sign in again.",
  403: "Only staff can do that.",
  404: "That pet is no longer in the store.",
  409: "That change is already being saved. Wait a moment and try again.",
  412: "Someone changed this pet while you were editing it.",
  413: "That is too much data to send at once.",
  422: "Some of the details are not valid.",
  429: "The store is busy right now. Try again in a few seconds.",
};

function fieldName(detail) {
  return String(detail.field || "").split(".").filter((p) => !["body", "query", "request"].includes(p)).join(".");
}

function cleanMessage(detail) {
  return String(detail.message || "").replace(/^Value error, /, "");
}

function describeDetails(details) {
  if (!Array.isArray(details) || !details.length) return "";
  const parts = details.slice(0, 3).map((d) => {
    const field = fieldName(d).replace(/\./g, " ");
    return field ? `${field.replace(/_/g, " ")}: ${cleanMessage(d)}` : cleanMessage(d);
  });
  return parts.filter(Boolean).join("; ");
}

/** {field: message} from a 422's details (the first message per field), for errors shown beside each field. */
export function fieldErrors(error) {
  const details = error?.body?.error?.details;
  const out = {};
  if (!Array.isArray(details)) return out;
  for (const detail of details) {
    const field = fieldName(detail);
    if (field && !(field in out)) out[field] = cleanMessage(detail);
  }
  return out;
}

export class Api {
  constructor(baseUrl, auth) {
    this.baseUrl = baseUrl;
    this.auth = auth;
  }

  async request(method, path, { query = null, body = undefined, headers = {}, retried = false } = {}) {
    const url = new URL(this.baseUrl + path);
    if (query) {
      for (const [key, value] of Object.entries(query)) {
        if (value === null || value === undefined || value === "") continue;
        for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
      }
    }
    const token = await this.auth.idToken();
    if (!token) throw new ApiError(401, "Unauthorized", STATUS_MESSAGES[401]);
    const init = { method, headers: { Accept: "application/json", Authorization: token, ...headers } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch {
      throw new ApiError(0, "NetworkError", "We couldn't reach the pet store. Check your connection and try again.");
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (response.ok) return data;

    if (response.status === 401 && !retried) {
      // The token may have expired between our check and the call: refresh once and retry.
      const ok = await this.auth.refresh();
      if (ok) return this.request(method, path, { query, body, headers, retried: true });
    }
    const error = data && typeof data.error === "object" && data.error ? data.error : null;
    let message = error?.message || (typeof data?.message === "string" ? data.message : "") || "";
    if (response.status === 401) message = STATUS_MESSAGES[401];
    if (response.status === 422) {
      const details = describeDetails(error?.details);
      message = details ? `${message || STATUS_MESSAGES[422]} ${details}.`.replace(/\.\.$/, ".") : message || STATUS_MESSAGES[422];
    }
    if (response.status === 429) {
      const retry = Number(response.headers.get("Retry-After"));
      message = Number.isFinite(retry) && retry > 0
        ? `The store is busy right now. Try again in ${retry} second${retry === 1 ? "" : "s"}.`
        : STATUS_MESSAGES[429];
    }
    if (!message) {
      message = STATUS_MESSAGES[response.status]
        || (response.status >= 500 ? "Something went wrong in the store. Try again in a moment." : `The request failed (HTTP ${response.status}).`);
    }
    const apiError = new ApiError(response.status, error?.code || (response.status === 401 ? "Unauthorized" : `HTTP${response.status}`), message, data);
    if (response.status === 401) this.auth.signOut("expired");
    throw apiError;
  }

  listPets(filters, cursor = null, pageSize = 12) {
    return this.request("GET", "/pets", { query: { ...filters, page_size: pageSize, cursor } });
  }

  getPet(id) {
    return this.request("GET", `/pets/${encodeURIComponent(id)}`);
  }

  createPet(pet, idempotencyKey) {
    return this.request("POST", "/pets", { body: pet, headers: { "Idempotency-Key": idempotencyKey } });
  }

  updatePet(id, changes, version) {
    return this.request("PATCH", `/pets/${encodeURIComponent(id)}`, { body: changes, headers: { "If-Match": `"${version}"` } });
  }

  deletePet(id) {
    return this.request("DELETE", `/pets/${encodeURIComponent(id)}`);
  }

  // -- photos

  /** An upload form (a presigned S3 POST) for one photo: {photo, upload: {url, fields, max_bytes, expires_at}}. */
  startPhotoUpload(id, contentType, alt = null) {
    const body = { content_type: contentType };
    if (alt) body.alt = alt;
    return this.request("POST", `/pets/${encodeURIComponent(id)}/photos`, { body });
  }

  deletePhoto(id, photoId) {
    return this.request("DELETE", `/pets/${encodeURIComponent(id)}/photos/${encodeURIComponent(photoId)}`);
  }

  // -- reservations: any signed-in person reserves and cancels their own; staff release and confirm adoptions.

  reservePet(id, version = null) {
    return this.request("POST", `/pets/${encodeURIComponent(id)}/reservation`, { headers: ifMatch(version) });
  }

  cancelReservation(id, version = null) {
    return this.request("DELETE", `/pets/${encodeURIComponent(id)}/reservation`, { headers: ifMatch(version) });
  }

  confirmAdoption(id, version = null) {
    return this.request("POST", `/pets/${encodeURIComponent(id)}/adoption`, { headers: ifMatch(version) });
  }

  myReservations() {
    return this.request("GET", "/me/reservations");
  }

  /** Staff: {by_status, by_type}, the store's counts. */
  inventory() {
    return this.request("GET", "/inventory");
  }

  query(text, sessionId = null, cursor = null, pageSize = 12) {
    const body = { query: text, page_size: pageSize };
    if (sessionId) body.session_id = sessionId;
    if (cursor) body.cursor = cursor;
    return this.request("POST", "/pets/query", { body });
  }
}

function ifMatch(version) {
  return version === null || version === undefined ? {} : { "If-Match": `"${version}"` };
}

const UPLOAD_MESSAGES = {
  EntityTooLarge: "The file is larger than the store takes (5 MB at most).",
  EntityTooSmall: "The file is empty.",
  SignatureDoesNotMatch: "The upload was refused. Try again.",
};

/** Send a file with an upload form (to S3 in AWS; to the local stack's bucket locally). No token goes with it: the
 * form's signed policy is the permission. Resolves when stored; throws ApiError with a message for people. */
export async function sendUploadForm(upload, file) {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields || {})) form.append(name, value);
  form.append("file", file);
  let response;
  try {
    response = await fetch(upload.url, { method: "POST", body: form });
  } catch {
    throw new ApiError(0, "NetworkError", "The photo could not be sent. Check your connection and try again.");
  }
  if (response.ok) return;
  const text = await response.text();
  const code = (text.match(/<Code>([^<]*)<\/Code>/) || [])[1] || `HTTP${response.status}`;
  const detail = (text.match(/<Message>([^<]*)<\/Message>/) || [])[1] || "";
  let message = UPLOAD_MESSAGES[code];
  if (!message && /expired/i.test(detail)) message = "The upload took too long and its form expired. Try again.";
  if (!message && /Content-Type/i.test(detail)) message = "The file's type does not match what was announced. Use a JPEG, PNG or WebP file.";
  throw new ApiError(response.status, code, message || "The photo was refused by the store.");
}
