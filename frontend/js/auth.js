// Sign-in through Cognito's JSON API (no SDK): SRP (USER_SRP_AUTH) or USER_PASSWORD_AUTH, the challenges a user
// pool can ask for (NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA, MFA_SETUP, SMS/email codes), forgotten passwords,
// and REFRESH_TOKEN_AUTH before the ID token runs out.
//
// Where the tokens live: the ID and access tokens (valid for an hour) in sessionStorage, so a reload keeps the
// user signed in; the refresh token (valid for days) only in this module's memory, never in Web Storage. After a
// reload the page has no refresh token and the user signs in again when the ID token runs out.
import { SrpSession, srpSupported } from "./srp.js";

const STORAGE_KEY = "petstore.auth";
const REFRESH_MARGIN_S = 120; // refresh this long before the ID token expires
const ADMIN_GROUP = "admins";

export class AuthError extends Error {
  /** `field` names the input the message is about ("email", "password", "code"), when there is one. */
  constructor(message, code = "AuthError", field = null) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

/** Decode the payload of a JWT (no verification: the API checks the signature). */
export function decodeJwt(token) {
  const part = String(token || "").split(".")[1];
  if (!part) return {};
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
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

/** A list Cognito sends as an array or as text (e.g. MFAS_CAN_SETUP: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]'). */
function listOf(value) {
  if (Array.isArray(value)) return value.map(String);
  return String(value || "").match(/[A-Z][A-Z_]+/g) || [];
}

const SIGN_IN_MESSAGES = {
  NotAuthorizedException: "That email and password don't match. Check them and try again.",
  UserNotFoundException: "That email and password don't match. Check them and try again.",
  UserNotConfirmedException: "This account isn't confirmed yet. Ask the store's staff to confirm it.",
  PasswordResetRequiredException: "Your password has to be reset before you can sign in: use “Forgot password?”.",
  TooManyRequestsException: "Too many attempts in a short time. Wait a minute and try again.",
  LimitExceededException: "Too many attempts in a short time. Wait a minute and try again.",
  TooManyFailedAttemptsException: "Too many failed attempts. Wait a few minutes and try again.",
  CodeMismatchException: "That code isn't right. Check it and try again.",
  ExpiredCodeException: "That code has expired. Ask for a new one.",
  EnableSoftwareTokenMFAException: "That code isn't right. Check the app and try again.",
};

const CODE_ANSWER = { SOFTWARE_TOKEN_MFA: "SOFTWARE_TOKEN_MFA_CODE", SMS_MFA: "SMS_MFA_CODE", EMAIL_OTP: "EMAIL_OTP_CODE" };

export class Auth {
  #refreshToken = null;

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

  /** Can the session outlive the ID token (a refresh token in memory)? */
  get canRefresh() {
    return Boolean(this.#refreshToken);
  }

  /**
   * Seconds since the epoch (by this machine's clock) when the ID token stops being accepted: the time it was
   * received plus Cognito's ExpiresIn, so a clock that is off does not make the page refresh too early or late.
   */
  get expiresAt() {
    const stored = Number(this.tokens?.expiresAt);
    if (Number.isFinite(stored) && stored > 0) return stored;
    const exp = Number(this.claims.exp);
    return Number.isFinite(exp) ? exp : 0;
  }

  /** "SRP" or "USER_PASSWORD_AUTH": the flow signIn() uses. */
  get flow() {
    const asked = String(this.config.authFlow || "").toUpperCase();
    if (asked === "USER_PASSWORD_AUTH" || !srpSupported()) return "USER_PASSWORD_AUTH";
    return "SRP";
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
      if (!data || !data.idToken) return null;
      delete data.refreshToken; // never kept in storage (older versions of the page did)
      return data;
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
      const raw = String(data.message || data.Message || "");
      let message = SIGN_IN_MESSAGES[type];
      let field = null;
      if (type === "NotAuthorizedException" && /attempts exceeded/i.test(raw)) {
        message = "Too many failed attempts. Wait a few minutes and try again.";
      } else if (type === "NotAuthorizedException" && /disabled/i.test(raw)) {
        message = "This account is disabled. Ask the store's staff for help.";
      } else if (type === "NotAuthorizedException" && /session/i.test(raw)) {
        message = "That sign-in took too long. Sign in again.";
      } else if (type === "InvalidPasswordException" || (type === "InvalidParameterException" && /password/i.test(raw))) {
        message = `That password can't be used: ${raw.replace(/^.*?:\s*/, "") || "it does not meet the rules"}.`.replace(/\.\.$/, ".");
        field = "password";
      } else if (type === "CodeMismatchException" || type === "ExpiredCodeException" || type === "EnableSoftwareTokenMFAException") {
        field = "code";
      }
      if (!message) {
        message = response.status >= 500
          ? "The sign-in service is having trouble. Try again in a moment."
          : `Sign-in failed${raw ? `: ${raw}` : "."}`;
      }
      throw new AuthError(message, type || `HTTP${response.status}`, field);
    }
    return data;
  }

  #accept(result, username) {
    const now = Math.floor(Date.now() / 1000);
    const previous = this.tokens || {};
    this.tokens = {
      idToken: result.IdToken,
      accessToken: result.AccessToken,
      expiresAt: now + Number(result.ExpiresIn || 3600),
      username: username || previous.username,
    };
    if (result.RefreshToken) this.#refreshToken = result.RefreshToken;
    this.#save();
    this.#schedule();
  }

  /** Turn Cognito's answer into the next step: signed in, or a challenge the page asks the user about. */
  async #next(data, email, srpUser = null) {
    if (data.AuthenticationResult) {
      this.challenge = null;
      this.#accept(data.AuthenticationResult, email);
      this.#emit("signed-in");
      return { step: "signed-in" };
    }
    const name = data.ChallengeName;
    const params = data.ChallengeParameters || {};
    // The name challenges are answered for: after SRP, Cognito's USER_ID_FOR_SRP (as its SDK does); otherwise
    // the email the person typed, which Cognito accepts wherever it takes a username.
    const username = srpUser || this.challenge?.username || email;
    this.challenge = { name, session: data.Session, username, email };
    if (name === "NEW_PASSWORD_REQUIRED") return { step: "new-password" };
    if (name === "SELECT_MFA_TYPE") {
      const choices = listOf(params.MFAS_CAN_CHOOSE);
      const answer = choices.includes("SOFTWARE_TOKEN_MFA") ? "SOFTWARE_TOKEN_MFA" : choices[0] || "SOFTWARE_TOKEN_MFA";
      return this.#respond("SELECT_MFA_TYPE", { ANSWER: answer });
    }
    if (CODE_ANSWER[name]) {
      return { step: "mfa-code", kind: name, destination: params.CODE_DELIVERY_DESTINATION || "" };
    }
    if (name === "MFA_SETUP") {
      if (!listOf(params.MFAS_CAN_SETUP || ["SOFTWARE_TOKEN_MFA"]).includes("SOFTWARE_TOKEN_MFA")) {
        throw new AuthError("This account must set up a sign-in method the page does not offer. Ask the store's staff for help.", "UnsupportedChallenge");
      }
      const setup = await this.#call("AssociateSoftwareToken", { Session: data.Session });
      this.challenge.session = setup.Session || data.Session;
      const secret = String(setup.SecretCode || "");
      const label = encodeURIComponent(`PetStore:${email}`);
      return {
        step: "mfa-setup",
        secret,
        otpauth: `otpauth://totp/${label}?secret=${encodeURIComponent(secret)}&issuer=PetStore`,
      };
    }
    this.challenge = null;
    throw new AuthError(
      name ? `This account needs a sign-in step the page does not support (${name}).` : "Sign-in did not complete. Try again.",
      "UnsupportedChallenge",
    );
  }

  async #respond(name, responses) {
    if (!this.challenge) throw new AuthError("That sign-in has expired. Sign in again.", "NoChallenge");
    const { session, username, email } = this.challenge;
    const data = await this.#call("RespondToAuthChallenge", {
      ChallengeName: name,
      ClientId: this.config.clientId,
      Session: session,
      ChallengeResponses: { USERNAME: username, ...responses },
    });
    return this.#next(data, email);
  }

  /**
   * Sign in; resolves to {step: "signed-in" | "new-password" | "mfa-code" | "mfa-setup", ...}.
   * Throws AuthError with a message for people.
   */
  async signIn(email, password) {
    const username = email.trim();
    this.challenge = null;
    if (this.flow === "SRP") {
      const srp = new SrpSession(this.config.userPoolId);
      const first = await this.#call("InitiateAuth", {
        AuthFlow: "USER_SRP_AUTH",
        ClientId: this.config.clientId,
        AuthParameters: { USERNAME: username, SRP_A: srp.start() },
      });
      if (first.ChallengeName !== "PASSWORD_VERIFIER") return this.#next(first, username);
      let responses;
      try {
        responses = await srp.respond(first.ChallengeParameters || {}, password);
      } catch {
        throw new AuthError("The sign-in service sent an answer the page could not use. Try again in a moment.", "SrpError");
      }
      const data = await this.#call("RespondToAuthChallenge", {
        ChallengeName: "PASSWORD_VERIFIER",
        ClientId: this.config.clientId,
        ...(first.Session ? { Session: first.Session } : {}),
        ChallengeResponses: responses,
      });
      return this.#next(data, username, responses.USERNAME);
    }
    const data = await this.#call("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: this.config.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    });
    return this.#next(data, username);
  }

  completeNewPassword(newPassword) {
    return this.#respond("NEW_PASSWORD_REQUIRED", { NEW_PASSWORD: newPassword });
  }

  /** The code of a SOFTWARE_TOKEN_MFA (or SMS/email) challenge. */
  submitMfaCode(code) {
    const name = this.challenge?.name;
    if (!CODE_ANSWER[name]) throw new AuthError("That sign-in has expired. Sign in again.", "NoChallenge");
    return this.#respond(name, { [CODE_ANSWER[name]]: code });
  }

  /** MFA_SETUP: check the first code from the new authenticator, then finish signing in. */
  async verifyMfaSetup(code) {
    if (this.challenge?.name !== "MFA_SETUP") throw new AuthError("That sign-in has expired. Sign in again.", "NoChallenge");
    const result = await this.#call("VerifySoftwareToken", {
      Session: this.challenge.session, UserCode: code, FriendlyDeviceName: "PetStore",
    });
    if (result.Status && result.Status !== "SUCCESS") {
      throw new AuthError("That code isn't right. Check the app and try again.", "CodeMismatchException", "code");
    }
    if (result.Session) this.challenge.session = result.Session;
    return this.#respond("MFA_SETUP", {});
  }

  cancelChallenge() {
    this.challenge = null;
  }

  // ------------------------------------------------------------ forgotten password

  /** Ask Cognito to send a code; resolves to {destination, medium} ("e***@e***" and "EMAIL"). */
  async forgotPassword(email) {
    try {
      const data = await this.#call("ForgotPassword", { ClientId: this.config.clientId, Username: email.trim() });
      const details = data.CodeDeliveryDetails || {};
      return { destination: details.Destination || "", medium: details.DeliveryMedium || "" };
    } catch (error) {
      if (error.code === "NotAuthorizedException" || error.code === "InvalidParameterException") {
        throw new AuthError("We can't send a code to this account. Ask the store's staff to reset your password.", error.code, "email");
      }
      throw error;
    }
  }

  async confirmForgotPassword(email, code, newPassword) {
    await this.#call("ConfirmForgotPassword", {
      ClientId: this.config.clientId, Username: email.trim(), ConfirmationCode: code.trim(), Password: newPassword,
    });
  }

  // ------------------------------------------------------------ staying signed in

  /** Get new ID and access tokens with the refresh token; signs out when that fails. */
  refresh() {
    if (this.refreshing) return this.refreshing;
    const refreshToken = this.#refreshToken;
    if (!refreshToken) {
      if (this.expiresAt - Date.now() / 1000 > 0) return Promise.resolve(true);
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
    // With a refresh token: refresh ahead of expiry. Without one (after a reload): end the session at expiry.
    const wait = delaySeconds ?? Math.max(this.#refreshToken ? 15 : 0, this.#refreshToken ? secondsLeft - REFRESH_MARGIN_S : secondsLeft);
    this.timer = window.setTimeout(() => {
      if (this.#refreshToken) this.refresh();
      else if (this.tokens) this.signOut("expired");
    }, Math.min(wait * 1000, 2 ** 31 - 1));
  }

  /** Start the timer for tokens restored from sessionStorage; false when there are none (or they expired). */
  resume() {
    if (!this.tokens) return false;
    if (this.expiresAt - Date.now() / 1000 <= 5) {
      this.tokens = null;
      this.#save();
      return false;
    }
    this.#schedule();
    return true;
  }

  /** A valid ID token for the Authorization header, refreshing first when it is about to expire. */
  async idToken() {
    if (!this.tokens) return null;
    const left = this.expiresAt - Date.now() / 1000;
    if (left < 30 && (this.#refreshToken || left <= 0)) {
      const ok = await this.refresh();
      if (!ok) return null;
    }
    return this.tokens?.idToken || null;
  }

  signOut(reason = "signed-out") {
    const refreshToken = this.#refreshToken;
    window.clearTimeout(this.timer);
    this.tokens = null;
    this.#refreshToken = null;
    this.challenge = null;
    this.#save();
    if (refreshToken && reason === "signed-out") {
      // Best effort: revoke the refresh token so it cannot be used again.
      this.#call("RevokeToken", { ClientId: this.config.clientId, Token: refreshToken }).catch(() => {});
    }
    this.#emit(reason);
  }
}
