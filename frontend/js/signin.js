// The sign-in screens: email and password (with the local stack's demo logins), then whatever step Cognito
// asks for (a new password, an authenticator code, setting up an authenticator), and a forgotten password.
import { h, replace } from "./dom.js";
import { clearFieldErrors, hidePasswords, isBusy, reportProblems, setBusy, setMessage, wireRevealButtons } from "./fields.js";

const $ = (id) => document.getElementById(id);
const PASSWORD_RULES = "at least 12 characters with upper- and lowercase letters and a number";

export class SignIn {
  /** show(viewId) switches the page's view; setTitle(text) names it. */
  constructor({ auth, config, show, setTitle }) {
    this.auth = auth;
    this.config = config;
    this.showView = show;
    this.setTitle = setTitle;
    this.form = $("signin-form");
    this.email = $("signin-email");
    this.password = $("signin-password");
    this.error = $("signin-error");
    this.notice = $("signin-notice");
    this.submitButton = $("signin-submit");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.#submit();
    });
    $("forgot-link").addEventListener("click", () => this.showForgot());
    wireRevealButtons(this.form);
    this.#renderDemoLogins();
  }

  #renderDemoLogins() {
    const logins = this.config.demoLogins || [];
    const box = $("demo-logins");
    box.hidden = !logins.length;
    if (!logins.length) return;
    replace($("demo-list"), logins.map((login) => h("li", { class: "demo-login" },
      h("span", { class: "demo-who" },
        h("span", { class: "demo-email" }, login.email),
        h("span", { class: "muted small" }, ` ${login.role ? `(${login.role})` : ""} · password `),
        h("code", {}, login.password)),
      h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": `Use ${login.email}`, onclick: () => {
        this.email.value = login.email;
        this.password.value = login.password;
        clearFieldErrors(this.form);
        this.submitButton.focus();
      } }, "Use"))));
  }

  /** The email and password form, with a message (kind "notice" or "error"). */
  show(message = "", kind = "notice") {
    setMessage(this.error, kind === "error" ? message : "");
    setMessage(this.notice, kind === "notice" ? message : "");
    clearFieldErrors(this.form);
    hidePasswords(this.form);
    this.password.value = "";
    this.showView("signin-view");
    this.setTitle("Sign in");
    (this.email.value ? this.password : this.email).focus();
  }

  async #submit() {
    if (isBusy(this.submitButton)) return;
    const email = this.email.value.trim();
    const password = this.password.value;
    setMessage(this.notice, "");
    setMessage(this.error, "");
    const problems = [];
    if (!email) problems.push({ inputs: this.email, error: $("signin-email-error"), message: "Enter your email address." });
    else if (!/^[^\s@]+@[^\s@]+$/.test(email)) problems.push({ inputs: this.email, error: $("signin-email-error"), message: "Enter an email address such as name@example.com." });
    if (!password) problems.push({ inputs: this.password, error: $("signin-password-error"), message: "Enter your password." });
    if (reportProblems(this.form, problems)) return;
    setBusy(this.submitButton, true, "Signing in…");
    try {
      const outcome = await this.auth.signIn(email, password);
      hidePasswords(this.form);
      this.password.value = "";
      this.next(outcome, email);
    } catch (err) {
      setMessage(this.error, err.message || "Sign-in failed. Try again.");
      this.password.select();
      this.password.focus();
    } finally {
      setBusy(this.submitButton, false, "Sign in");
    }
  }

  /** The step after a Cognito answer ("signed-in" is handled by the app through the auth events). */
  next(outcome, email) {
    if (outcome.step === "new-password") this.#showNewPassword();
    else if (outcome.step === "mfa-code") this.#showMfa(outcome, email);
    else if (outcome.step === "mfa-setup") this.#showMfa(outcome, email);
  }

  /** Clone a step's template into the step view (only the current step's fields exist in the page). */
  #step(templateId, title) {
    const view = $("step-view");
    this.showView("step-view");
    view.replaceChildren($(templateId).content.cloneNode(true));
    wireRevealButtons(view);
    for (const back of view.querySelectorAll("[data-action=back-to-sign-in]")) {
      back.addEventListener("click", () => {
        this.auth.cancelChallenge();
        this.show();
      });
    }
    this.setTitle(title);
    return view;
  }

  #challengeFailed(err, errorBox, field) {
    if (err.code === "NoChallenge" || (err.code === "NotAuthorizedException" && /took too long/.test(err.message))) {
      this.auth.cancelChallenge();
      this.show("That sign-in took too long. Sign in again.", "error");
      return;
    }
    if (err.field && field) {
      setMessage(errorBox, "");
      reportProblems(errorBox.closest("form"), [{ inputs: field.input, error: field.error, message: err.message }]);
    } else {
      setMessage(errorBox, err.message || "That didn't work. Try again.");
    }
  }

  #showNewPassword() {
    this.#step("newpw-template", "Choose a new password");
    const form = $("newpw-form");
    const error = $("newpw-error");
    const password = $("newpw-password");
    const confirm = $("newpw-confirm");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      setMessage(error, "");
      const problems = [];
      if (!password.value) problems.push({ inputs: password, error: $("newpw-password-error"), message: "Choose a new password." });
      else if (password.value !== confirm.value) {
        problems.push({ inputs: confirm, error: $("newpw-confirm-error"), message: "The two passwords are not the same. Type the new password twice." });
      }
      if (reportProblems(form, problems)) return;
      const button = $("newpw-submit");
      button.disabled = true;
      button.textContent = "Saving…";
      try {
        const outcome = await this.auth.completeNewPassword(password.value);
        this.next(outcome, this.auth.challenge?.email || "");
      } catch (err) {
        this.#challengeFailed(err, error, { input: password, error: $("newpw-password-error") });
      } finally {
        if (button.isConnected) {
          button.disabled = false;
          button.textContent = "Set new password";
        }
      }
    });
    password.focus();
  }

  #showMfa(outcome, email) {
    const setup = outcome.step === "mfa-setup";
    this.#step("mfa-template", setup ? "Set up sign-in codes" : "Enter your sign-in code");
    const form = $("mfa-form");
    const error = $("mfa-error");
    const code = $("mfa-code");
    const codeError = $("mfa-code-error");
    if (setup) {
      $("mfa-title").textContent = "Set up sign-in codes";
      $("mfa-intro").textContent = "This store asks for a code from an authenticator app each time you sign in. Set it up once:";
      $("mfa-setup").hidden = false;
      $("mfa-secret").textContent = outcome.secret.replace(/(.{4})/g, "$1 ").trim();
      $("mfa-otpauth").setAttribute("href", outcome.otpauth);
    } else if (outcome.kind !== "SOFTWARE_TOKEN_MFA") {
      $("mfa-intro").textContent = outcome.destination
        ? `We sent a code to ${outcome.destination}. Type it here.`
        : "We sent you a code. Type it here.";
      code.removeAttribute("maxlength");
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      setMessage(error, "");
      const value = code.value.replace(/\s+/g, "");
      if (!/^\d{6,8}$/.test(value)) {
        reportProblems(form, [{ inputs: code, error: codeError, message: "Enter the 6-digit code." }]);
        return;
      }
      clearFieldErrors(form);
      const button = $("mfa-submit");
      button.disabled = true;
      button.textContent = "Checking…";
      try {
        const next = setup ? await this.auth.verifyMfaSetup(value) : await this.auth.submitMfaCode(value);
        this.next(next, email);
      } catch (err) {
        this.#challengeFailed(err, error, { input: code, error: codeError });
        if (code.isConnected) code.select();
      } finally {
        if (button.isConnected) {
          button.disabled = false;
          button.textContent = "Continue";
        }
      }
    });
    code.focus();
  }

  /** "Forgot password?": ask for a code, then the code and a new password. */
  showForgot() {
    const typed = this.email.value.trim();
    this.#step("forgot-template", "Reset your password");
    const form = $("forgot-form");
    const email = $("forgot-email");
    const code = $("forgot-code");
    const password = $("forgot-password");
    const notice = $("forgot-notice");
    const error = $("forgot-error");
    const submit = $("forgot-submit");
    const resend = $("forgot-resend");
    email.value = typed;
    let codeSent = false;

    const sendCode = async () => {
      const address = email.value.trim();
      if (!/^[^\s@]+@[^\s@]+$/.test(address)) {
        reportProblems(form, [{ inputs: email, error: $("forgot-email-error"), message: "Enter the email address you sign in with." }]);
        return;
      }
      clearFieldErrors(form);
      setMessage(error, "");
      submit.disabled = true;
      try {
        const sent = await this.auth.forgotPassword(address);
        codeSent = true;
        $("forgot-step-2").hidden = false;
        email.readOnly = true;
        resend.hidden = false;
        submit.textContent = "Set new password";
        $("forgot-intro").textContent = "Type the code and choose a new password.";
        const where = sent.destination ? ` to ${sent.destination}` : "";
        const local = this.config.demoLogins?.length ? " (The local stack prints the code in the terminal where it runs.)" : "";
        setMessage(notice, `If an account uses ${address}, we sent a code${where}. It is valid for one hour.${local}`);
        code.focus();
      } catch (err) {
        if (err.field === "email") {
          reportProblems(form, [{ inputs: email, error: $("forgot-email-error"), message: err.message }]);
        } else {
          setMessage(error, err.message || "We couldn't send a code. Try again.");
        }
      } finally {
        submit.disabled = false;
      }
    };

    const confirmCode = async () => {
      const problems = [];
      if (!code.value.trim()) problems.push({ inputs: code, error: $("forgot-code-error"), message: "Enter the code from the message." });
      if (!password.value) problems.push({ inputs: password, error: $("forgot-password-error"), message: `Choose a new password: ${PASSWORD_RULES}.` });
      if (reportProblems(form, problems)) return;
      setMessage(error, "");
      submit.disabled = true;
      submit.textContent = "Saving…";
      try {
        await this.auth.confirmForgotPassword(email.value, code.value, password.value);
        this.email.value = email.value.trim();
        this.show("Your password was changed. Sign in with the new one.");
      } catch (err) {
        if (err.field === "code") {
          reportProblems(form, [{ inputs: code, error: $("forgot-code-error"), message: err.code === "ExpiredCodeException"
            ? "That code isn't valid any more. Send a new code and use the latest one."
            : err.message }]);
        } else if (err.field === "password") {
          reportProblems(form, [{ inputs: password, error: $("forgot-password-error"), message: err.message }]);
        } else {
          setMessage(error, err.message || "The password could not be changed. Try again.");
        }
      } finally {
        if (submit.isConnected) {
          submit.disabled = false;
          submit.textContent = "Set new password";
        }
      }
    };

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (codeSent) confirmCode();
      else sendCode();
    });
    resend.addEventListener("click", () => {
      code.value = "";
      sendCode();
    });
    (typed ? submit : email).focus();
  }
}
