// The page's shell: find the API and Cognito, sign in, then Browse and Ask.
import { Api } from "./api.js";
import { Ask } from "./ask.js";
import { Auth } from "./auth.js";
import { Browse } from "./browse.js";
import { loadConfig } from "./config.js";
import { announce, icon, replace } from "./dom.js";

const $ = (id) => document.getElementById(id);
const VIEWS = ["boot-view", "boot-error", "signin-view", "newpw-view", "store-view"];

let auth = null;
let api = null;
let browse = null;
let ask = null;

function show(viewId) {
  for (const id of VIEWS) $(id).hidden = id !== viewId;
  if (viewId !== "newpw-view") $("newpw-view").replaceChildren();
}

// ---------------------------------------------------------------- toast

let toastTimer = null;
function toast(message) {
  const el = $("toast");
  el.textContent = message;
  el.hidden = false;
  el.classList.add("visible");
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => {
    el.classList.remove("visible");
    toastTimer = window.setTimeout(() => { el.hidden = true; }, 250);
  }, 4000);
}

// ---------------------------------------------------------------- boot

async function boot() {
  show("boot-view");
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    $("boot-error-text").textContent = error.message || "The store's settings could not be loaded.";
    show("boot-error");
    $("boot-retry").focus();
    return;
  }
  auth = new Auth(config);
  api = new Api(config.apiUrl, auth);
  browse = new Browse({ api, auth, toast });
  ask = new Ask({ api, auth, onOpenPet: (pet) => browse.openDetails(pet) });
  auth.onChange(onAuthChange);
  if (auth.resume()) enterStore(false);
  else showSignIn();
}

function onAuthChange(reason) {
  if (reason === "signed-in") enterStore(true);
  else if (reason === "refreshed") renderAccount();
  else if (reason === "expired") showSignIn("Your session has ended. Please sign in again.", "error");
  else if (reason === "signed-out") showSignIn("You've signed out. See you soon!");
}

// ---------------------------------------------------------------- sign-in

function setMessage(el, text) {
  el.textContent = text || "";
  el.hidden = !text;
}

function showSignIn(message = "", kind = "notice") {
  $("account").hidden = true;
  document.body.classList.remove("is-admin", "signed-in");
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
  if (ask) ask.reset();
  if (browse) browse.reset();
  setMessage($("signin-error"), kind === "error" ? message : "");
  setMessage($("signin-notice"), kind === "notice" ? message : "");
  $("signin-password").value = "";
  show("signin-view");
  const email = $("signin-email");
  (email.value ? $("signin-password") : email).focus();
}

async function submitSignIn(event) {
  event.preventDefault();
  const email = $("signin-email").value.trim();
  const password = $("signin-password").value;
  const error = $("signin-error");
  setMessage($("signin-notice"), "");
  if (!email || !password) {
    setMessage(error, !email ? "Enter your email address." : "Enter your password.");
    (!email ? $("signin-email") : $("signin-password")).focus();
    return;
  }
  const button = $("signin-submit");
  button.disabled = true;
  button.textContent = "Signing in…";
  setMessage(error, "");
  try {
    const outcome = await auth.signIn(email, password);
    if (outcome === "new-password") showNewPassword();
  } catch (err) {
    setMessage(error, err.message || "Sign-in failed. Try again.");
    $("signin-password").select();
    $("signin-password").focus();
  } finally {
    button.disabled = false;
    button.textContent = "Sign in";
  }
}

function showNewPassword() {
  const view = $("newpw-view");
  show("newpw-view");
  view.replaceChildren($("newpw-template").content.cloneNode(true));
  const form = $("newpw-form");
  const error = $("newpw-error");
  $("newpw-cancel").addEventListener("click", () => {
    auth.cancelChallenge();
    showSignIn();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const password = $("newpw-password").value;
    const confirm = $("newpw-confirm").value;
    if (!password) {
      setMessage(error, "Choose a new password.");
      $("newpw-password").focus();
      return;
    }
    if (password !== confirm) {
      setMessage(error, "The two passwords are not the same. Type the new password twice.");
      $("newpw-confirm").focus();
      return;
    }
    const button = $("newpw-submit");
    button.disabled = true;
    button.textContent = "Saving…";
    setMessage(error, "");
    try {
      await auth.completeNewPassword(password);
    } catch (err) {
      setMessage(error, err.message || "The password could not be set.");
      if (err.code === "NotAuthorizedException" || err.code === "CodeMismatchException" || err.code === "ExpiredCodeException") {
        showSignIn("That sign-in took too long. Sign in again with your temporary password.", "error");
        return;
      }
      $("newpw-password").focus();
    } finally {
      if (button.isConnected) {
        button.disabled = false;
        button.textContent = "Set new password";
      }
    }
  });
  $("newpw-password").focus();
}

// ---------------------------------------------------------------- the store

function renderAccount() {
  const role = $("who-role");
  $("who-email").textContent = auth.email;
  replace(role, auth.isAdmin ? icon("shield", { size: 14 }) : icon("user", { size: 14 }), auth.isAdmin ? "Staff" : "Shopper");
  role.className = `role-badge ${auth.isAdmin ? "role-staff" : "role-shopper"}`;
  $("who").setAttribute("aria-label", `Signed in as ${auth.email}, ${auth.isAdmin ? "staff (can change pets)" : "shopper"}`);
  $("account").hidden = false;
  document.body.classList.toggle("is-admin", auth.isAdmin);
  document.body.classList.add("signed-in");
  $("store-subtitle").textContent = auth.isAdmin
    ? "You're signed in as staff: add, edit and remove pets, or browse like a shopper."
    : "Browse every pet, or just tell us what you have in mind.";
}

function enterStore(justSignedIn) {
  renderAccount();
  show("store-view");
  selectTab("browse", false);
  browse.load(true);
  if (justSignedIn) {
    $("store-title").focus();
    announce(`Signed in as ${auth.email}.`);
  }
}

// ---------------------------------------------------------------- tabs

function selectTab(name, focus = true) {
  for (const tab of ["browse", "ask"]) {
    const selected = tab === name;
    const button = $(`tab-${tab}`);
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`panel-${tab}`).hidden = !selected;
  }
  if (focus) $(`tab-${name}`).focus();
}

function setUpTabs() {
  $("tab-browse").addEventListener("click", () => selectTab("browse"));
  $("tab-ask").addEventListener("click", () => {
    selectTab("ask");
    $("ask-input").focus();
  });
  document.querySelector("[role=tablist]").addEventListener("keydown", (event) => {
    if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
    event.preventDefault();
    const current = $("tab-browse").getAttribute("aria-selected") === "true" ? "browse" : "ask";
    let next = current === "browse" ? "ask" : "browse";
    if (event.key === "Home") next = "browse";
    if (event.key === "End") next = "ask";
    selectTab(next);
  });
}

// ---------------------------------------------------------------- start

$("signin-form").addEventListener("submit", submitSignIn);
$("sign-out").addEventListener("click", () => auth?.signOut("signed-out"));
$("boot-retry").addEventListener("click", boot);
setUpTabs();
window.addEventListener("unhandledrejection", (event) => {
  // Last line of defence: say something instead of failing silently.
  toast(event.reason?.message ? `Something went wrong: ${event.reason.message}` : "Something went wrong.");
});
boot();
