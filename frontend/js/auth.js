// Sign-in through Cognito's JSON API (no SDK): USER_PASSWORD_AUTH, the NEW_PASSWORD_REQUIRED
// challenge, and REFRESH_TOKEN_AUTH before the ID token runs out. Tokens live in sessionStorage.

const STORAGE_KEY = "petstore.auth";
const REFRESH_MARGIN_S = 120; // refresh this long before the ID token expires
const ADMIN_GROUP = "admins";

export class AuthError extends Error {
  constructor(message, code = "AuthError") {
    super(message);
    this.code = code;
  }
}

/** Decode the payload of a JWT (no verification: the API checks the signature). */
export function decodeJwt(token) {
  const part = String(token || "").split(".")[1];
  if (!part) return {};
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

function groupsOf(claims) {
  const raw = claims["cognito:groups"];
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw === "string") return raw.replace(/[[\]"']/g, " ").split(/[\s,]+/).filter(Boolean);
  return [];
}

const FRIENDLY = {
  NotAuthorizedException: "That email and password don't match. Check them and try again.",
  UserNotFoundException: "That email and password don't match. Check them and try again.",
  UserNotConfirmedException: "This account isn't confirmed yet. Ask the store's staff to confirm it.",
  PasswordResetRequiredException: "Your password has to be reset before you can sign in. Ask the store's staff for help.",
  TooManyRequestsException: "Too many attempts in a short time. Wait a minute and try again.",
  LimitExceededException: "Too many attempts in a short time. Wait a minute and try again.",
  TooManyFailedAttemptsException: "Too many failed attempts. Wait a few minutes and try again.",
  CodeMismatchException: "That session has expired. Sign in again.",
  ExpiredCodeException: "That session has expired. Sign in again.",
};

export class Auth {
  constructor(config) {
    this.config = config;
    this.listeners = new Set();
    this.timer = null;
    this.refreshing = null;
    this.tokens = this.#load();
    this.challenge = null;
    document.addEventListener("visibilitychange", () => {
      // Timers sleep in background tabs: check again when the tab comes back.
      if (document.visibilityState === "visible" && this.tokens) this.#schedule();
    });
  }

  // ------------------------------------------------------------ state

  get signedIn() {
    return Boolean(this.tokens && this.tokens.idToken);
  }

  get claims() {
    return this.tokens ? decodeJwt(this.tokens.idToken) : {};
  }

  get email() {
    const c = this.claims;
    return c.email || this.tokens?.username || c["cognito:username"] || "";
  }

  get groups() {
    return groupsOf(this.claims);
  }

  get isAdmin() {
    return this.groups.includes(ADMIN_GROUP);
  }

  /** Seconds since the epoch when the ID token stops being accepted. */
  get expiresAt() {
    const exp = Number(this.claims.exp);
    const stored = Number(this.tokens?.expiresAt);
    if (Number.isFinite(exp) && exp > 0) return Number.isFinite(stored) && stored > 0 ? Math.min(exp, stored) : exp;
    return Number.isFinite(stored) ? stored : 0;
  }

  onChange(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  #emit(reason) {
    for (const listener of this.listeners) listener(reason);
  }

  #load() {
    try {
      const data = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
      return data && data.idToken ? data : null;
    } catch {
      return null;
    }
  }

  #save() {
    if (this.tokens) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(this.tokens));
    else sessionStorage.removeItem(STORAGE_KEY);
  }

  // ------------------------------------------------------------ Cognito calls

  async #call(target, body) {
    let response;
    try {
      response = await fetch(this.config.cognitoEndpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-amz-json-1.1",
          "X-Amz-Target": `AWSCognitoIdentityProviderService.${target}`,
        },
        body: JSON.stringify(body),
      });
    } catch {
      throw new AuthError("We couldn't reach the sign-in service. Check your connection and try again.", "NetworkError");
    }
    let data = {};
    try {
      data = await response.json();
    } catch {
      data = {};
    }
    if (!response.ok) {
      const type = String(data.__type || data.code || response.headers.get("x-amzn-ErrorType") || "")
        .split("#").pop().split(":")[0];
      const raw = data.message || data.Message || "";
      let message = FRIENDLY[type];
      if (type === "NotAuthorizedException" && /attempts exceeded/i.test(raw)) {
        message = "Too many failed attempts. Wait a few minutes and try again.";
      } else if (type === "NotAuthorizedException" && /disabled/i.test(raw)) {
        message = "This account is disabled. Ask the store's staff for help.";
      } else if (type === "InvalidPasswordException" || type === "InvalidParameterException") {
        message = `That password can't be used: ${raw.replace(/^.*?:\s*/, "") || "it does not meet the rules"}.`.replace(/\.\.$/, ".");
      }
      if (!message) {
        message = response.status >= 500
          ? "The sign-in service is having trouble. Try again in a moment."
          : `Sign-in failed${raw ? `: ${raw}` : "."}`;
      }
      throw new AuthError(message, type || `HTTP${response.status}`);
    }
    return data;
  }

  #accept(result, username) {
    const now = Math.floor(Date.now() / 1000);
    const previous = this.tokens || {};
    this.tokens = {
      idToken: result.IdToken,
      accessToken: result.AccessToken,
      refreshToken: result.RefreshToken || previous.refreshToken,
      expiresAt: now + Number(result.ExpiresIn || 3600),
      username: username || previous.username,
    };
    this.#save();
    this.#schedule();
  }

  /**
   * Returns "signed-in" or "new-password" (then call completeNewPassword).
   * Throws AuthError with a message for people.
   */
  async signIn(email, password) {
    const username = email.trim();
    const data = await this.#call("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: this.config.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    });
    if (data.AuthenticationResult) {
      this.#accept(data.AuthenticationResult, username);
      this.#emit("signed-in");
      return "signed-in";
    }
    if (data.ChallengeName === "NEW_PASSWORD_REQUIRED") {
      // The pool signs people in by email, and Cognito accepts the email wherever it takes a username.
      this.challenge = { session: data.Session, username, email: username };
      return "new-password";
    }
    throw new AuthError(
      data.ChallengeName
        ? `This account needs a sign-in step the page does not support (${data.ChallengeName}).`
        : "Sign-in did not complete. Try again.",
      "UnsupportedChallenge",
    );
  }

  async completeNewPassword(newPassword) {
    if (!this.challenge) throw new AuthError("That sign-in has expired. Sign in again.", "NoChallenge");
    const { session, username, email } = this.challenge;
    const data = await this.#call("RespondToAuthChallenge", {
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      ClientId: this.config.clientId,
      Session: session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
    });
    if (data.Session) this.challenge.session = data.Session;
    if (!data.AuthenticationResult) {
      throw new AuthError("Your password was changed, but sign-in needs another step. Sign in again with the new password.", "UnsupportedChallenge");
    }
    this.challenge = null;
    this.#accept(data.AuthenticationResult, email);
    this.#emit("signed-in");
    return "signed-in";
  }

  cancelChallenge() {
    this.challenge = null;
  }

  /** Get new ID and access tokens with the refresh token; signs out when that fails. */
  refresh() {
    if (this.refreshing) return this.refreshing;
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) {
      this.signOut("expired");
      return Promise.resolve(false);
    }
    this.refreshing = this.#call("InitiateAuth", {
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: this.config.clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    })
      .then((data) => {
        if (!data.AuthenticationResult?.IdToken) throw new AuthError("No tokens in the answer.");
        this.#accept(data.AuthenticationResult);
        this.#emit("refreshed");
        return true;
      })
      .catch((error) => {
        if (error.code === "NetworkError" && this.expiresAt - Date.now() / 1000 > 15) {
          // Still valid for a while: try again shortly instead of signing out.
          this.#schedule(30);
          return true;
        }
        this.signOut("expired");
        return false;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  #schedule(delaySeconds = null) {
    window.clearTimeout(this.timer);
    if (!this.tokens) return;
    const secondsLeft = this.expiresAt - Date.now() / 1000;
    const wait = delaySeconds ?? Math.max(0, secondsLeft - REFRESH_MARGIN_S);
    this.timer = window.setTimeout(() => this.refresh(), Math.min(wait * 1000, 2 ** 31 - 1));
  }

  /** Start the refresh timer for tokens restored from sessionStorage. */
  resume() {
    if (!this.tokens) return false;
    this.#schedule();
    return true;
  }

  /** A valid ID token for the Authorization header, refreshing first when it is about to expire. */
  async idToken() {
    if (!this.tokens) return null;
    if (this.expiresAt - Date.now() / 1000 < 30) {
      const ok = await this.refresh();
      if (!ok) return null;
    }
    return this.tokens?.idToken || null;
  }

  signOut(reason = "signed-out") {
    const refreshToken = this.tokens?.refreshToken;
    window.clearTimeout(this.timer);
    this.tokens = null;
    this.challenge = null;
    this.#save();
    if (refreshToken && reason === "signed-out") {
      // Best effort: revoke the refresh token so it cannot be used again.
      this.#call("RevokeToken", { ClientId: this.config.clientId, Token: refreshToken }).catch(() => {});
    }
    this.#emit(reason);
  }
}
