// The page's shell: find the API and Cognito, sign in, then the store's views (Browse, Find a match, My reservations and,
// for staff, Inventory), with the view in the URL.
import { Api } from "./api.js";
import { Ask } from "./ask.js";
import { Auth } from "./auth.js";
import { Browse } from "./browse.js";
import { loadConfig } from "./config.js";
import { Details } from "./details.js";
import { announce, h, icon, replace } from "./dom.js";
import { Inventory } from "./inventory.js";
import { Reservations } from "./reservations.js";
import { Router } from "./router.js";
import { SignIn } from "./signin.js";
import { Staff } from "./staff.js";

const $ = (id) => document.getElementById(id);
const VIEWS = ["boot-view", "boot-error", "signin-view", "step-view", "store-view"];
const TAB_TITLES = { browse: "Browse pets", ask: "Find a match", reservations: "My reservations", inventory: "Inventory" };
const TABS = Object.keys(TAB_TITLES);
const STAFF_TABS = new Set(["inventory"]);

let auth = null;
let browse = null;
let ask = null;
let details = null;
let reservations = null;
let inventory = null;
let staff = null;
let signIn = null;
let router = null;
let inStore = false;

function show(viewId) {
  for (const id of VIEWS) $(id).hidden = id !== viewId;
  if (viewId !== "step-view") $("step-view").replaceChildren();
}

// ---------------------------------------------------------------- the document title follows the view

const titles = { view: "", pet: null, dialog: null };
function setTitle(part, layer = "view") {
  titles[layer] = part;
  const name = titles.dialog || titles.pet || titles.view;
  document.title = name ? `${name} · PetStore` : "PetStore · find your next best friend";
}

// ---------------------------------------------------------------- toast

let toastTimer = null;
function toast(message, { action = null } = {}) {
  const el = $("toast");
  replace(el, h("span", {}, message), action
    ? h("button", { type: "button", class: "toast-action", onclick: () => { hideToast(); action.onClick(); } }, action.text)
    : null);
  el.hidden = false;
  el.classList.add("visible");
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(hideToast, action ? 8000 : 4000);
}

function hideToast() {
  const el = $("toast");
  el.classList.remove("visible");
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => { el.hidden = true; }, 250);
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
    setTitle("Can't open the store");
    $("boot-retry").focus();
    return;
  }
  auth = new Auth(config);
  const api = new Api(config.apiUrl, auth);
  router = new Router(applyState);
  staff = new Staff({
    api, auth, toast,
    onSaved: (pet, how) => {
      details.update(pet);
      if (!how?.created) ask.onPetChanged(pet);
      return browse.onSaved(pet, how);
    },
    onDeleted: (pet, opener, how) => browse.onDeleted(pet, opener, how),
    onTitle: (text) => setTitle(text, "dialog"),
  });
  details = new Details({
    api, auth, toast,
    onClosed: petClosed,
    onEdit: (pet, opener) => staff.openEditor(pet, opener),
    onDelete: (pet, opener) => staff.confirmDelete(pet, opener),
    onGone: (id) => browse.noteGone(id),
    onTitle: (name) => setTitle(name, "pet"),
    onReservation: (pet) => {
      browse.onReservationChanged(pet);
      ask.onPetChanged(pet);
      reservations.noteChanged(pet);
    },
  });
  browse = new Browse({
    api, auth, toast, staff,
    navigate: (params) => go({ view: "browse", params, pet: null }),
    openPet,
  });
  reservations = new Reservations({ api, auth, toast, openPet, onCancelled: () => browse.markStale() });
  inventory = new Inventory({
    api,
    browse: (params) => {
      go({ view: "browse", params, pet: null });
      $("results-summary").focus();
    },
  });
  ask = new Ask({
    api, auth, openPet,
    navigate: (questions) => {
      const params = new URLSearchParams();
      for (const q of questions) params.append("q", q);
      router.push({ view: "ask", params, pet: null });
    },
  });
  signIn = new SignIn({ auth, config, show, setTitle });
  auth.onChange(onAuthChange);
  if (auth.resume()) enterStore(false);
  else signIn.show();
}

function onAuthChange(reason) {
  if (reason === "signed-in") enterStore(true);
  else if (reason === "refreshed") renderAccount();
  else if (reason === "expired") leaveStore("expired");
  else if (reason === "signed-out") leaveStore("signed-out");
}

function leaveStore(reason) {
  const draft = reason === "expired" ? staff.keepDraft() : null;
  if (reason !== "expired") staff.dropDraft();
  inStore = false;
  $("account").hidden = true;
  document.body.classList.remove("is-admin", "signed-in");
  details.hide();
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
  setTitle(null, "pet");
  setTitle(null, "dialog");
  ask.reset();
  browse.reset();
  reservations.reset();
  inventory.reset();
  if (reason === "signed-out") {
    router.clear();
    signIn.show("You've signed out. See you soon!");
    return;
  }
  // The URL keeps the view, so signing in again comes back to it.
  let message = "Your session has ended. Please sign in again.";
  if (draft) {
    const what = draft.mode === "edit" ? `your changes to ${draft.pet.name}` : "the new pet";
    message = draft.saving
      ? `Your session ended before ${what} could be saved. Sign in again to finish saving: nothing you typed is lost.`
      : `Your session ended while you were editing. Sign in again to go on with ${what}: nothing you typed is lost.`;
  }
  signIn.show(message, "error");
}

// ---------------------------------------------------------------- the store

function renderAccount() {
  const role = $("who-role");
  $("who-email").textContent = auth.email;
  replace(role, auth.isAdmin ? icon("shield", { size: 14 }) : icon("user", { size: 14 }), auth.isAdmin ? "Staff" : "Shopper");
  role.className = `role-badge ${auth.isAdmin ? "role-staff" : "role-shopper"}`;
  $("who").setAttribute("aria-label", `Signed in as ${auth.email}, ${auth.isAdmin ? "staff (can change pets)" : "shopper"}`);
  $("account").hidden = false;
  for (const tab of STAFF_TABS) $(`tab-${tab}`).hidden = !auth.isAdmin;
  document.body.classList.toggle("is-admin", auth.isAdmin);
  document.body.classList.add("signed-in");
  $("store-subtitle").textContent = auth.isAdmin
    ? "You're signed in as staff: add, edit and remove pets, or browse like a shopper."
    : "Browse the pets that are looking for a home, or just tell us what you have in mind.";
}

function enterStore(justSignedIn) {
  inStore = true;
  renderAccount();
  show("store-view");
  applyState(router.current());
  if (justSignedIn) {
    const resumed = staff.resumeDraft();
    if (resumed === "not-allowed") toast("The pet you were editing was not saved: sign in as the staff member who edited it to save it.");
    if (!resumed && !details.open) $("store-title").focus();
    announce(`Signed in as ${auth.email}.`);
  }
}

/** Show the state of a URL (on entering the store, and on Back/Forward or a followed link). */
function applyState(state) {
  if (!inStore) return;
  if (STAFF_TABS.has(state.view) && !auth.isAdmin) {
    // A staff view's link opened by a shopper: Browse instead, and say why.
    toast(`Only staff can see the ${TAB_TITLES[state.view].toLowerCase()}.`);
    state = { view: "browse", params: new URLSearchParams(), pet: state.pet };
    router.replace(state);
  }
  selectTab(state.view, false);
  if (state.view === "browse") browse.show(state.params);
  else if (state.view === "reservations") reservations.show();
  else if (state.view === "inventory") inventory.show();
  else ask.show(state.params.getAll("q"));
  if (state.pet) details.show({ id: state.pet });
  else {
    details.hide();
    setTitle(null, "pet");
  }
}

/** A new history entry for this state, then show it. */
function go(state) {
  router.push(state);
  applyState(state);
}

function openPet(pet, opener) {
  const current = router.current();
  details.show({ pet, opener });
  router.push({ ...current, pet: pet.id });
}

function petClosed(petId) {
  setTitle(null, "pet");
  const current = router.current();
  if (!inStore || current.pet !== petId) return;
  if (router.openedByPush) window.history.back();
  else router.replace({ ...current, pet: null });
}

// ---------------------------------------------------------------- tabs

function selectTab(name, focus = true) {
  for (const tab of TABS) {
    const selected = tab === name;
    const button = $(`tab-${tab}`);
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`panel-${tab}`).hidden = !selected;
  }
  setTitle(TAB_TITLES[name]);
  if (focus) $(`tab-${name}`).focus();
}

function switchTab(name) {
  if (name === "browse") go({ view: "browse", params: browse.params(), pet: null });
  else if (name === "reservations" || name === "inventory") go({ view: name, params: null, pet: null });
  else {
    const params = new URLSearchParams();
    for (const q of ask.questions()) params.append("q", q);
    go({ view: "ask", params, pet: null });
  }
}

function setUpTabs() {
  $("tab-browse").addEventListener("click", () => {
    switchTab("browse");
    $("tab-browse").focus();
  });
  $("tab-ask").addEventListener("click", () => {
    switchTab("ask");
    $("ask-input").focus();
  });
  for (const tab of ["reservations", "inventory"]) {
    $(`tab-${tab}`).addEventListener("click", () => {
      switchTab(tab);
      $(`tab-${tab}`).focus();
    });
  }
  document.querySelector("[role=tablist]").addEventListener("keydown", (event) => {
    if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
    event.preventDefault();
    const tabs = TABS.filter((tab) => !$(`tab-${tab}`).hidden);
    const at = tabs.findIndex((tab) => $(`tab-${tab}`).getAttribute("aria-selected") === "true");
    const step = event.key === "ArrowRight" ? 1 : -1;
    let next = tabs[(at + step + tabs.length) % tabs.length];
    if (event.key === "Home") next = tabs[0];
    if (event.key === "End") next = tabs[tabs.length - 1];
    switchTab(next);
    $(`tab-${next}`).focus();
  });
}

// ---------------------------------------------------------------- start

$("sign-out").addEventListener("click", () => auth?.signOut("signed-out"));
$("boot-retry").addEventListener("click", boot);
$("skip-link").addEventListener("click", (event) => {
  // The fragment holds the page's state: move focus without changing it.
  event.preventDefault();
  $("main").focus();
});
setUpTabs();
window.addEventListener("unhandledrejection", (event) => {
  // Last line of defence: say something instead of failing silently.
  toast(event.reason?.message ? `Something went wrong: ${event.reason.message}` : "Something went wrong.");
});
boot();
