// Staff work on pets: the add/edit form (errors beside each field, ages in months or years, a draft that survives
// an expired session) and the delete confirmation.
import { ApiError, fieldErrors } from "./api.js";
import { ageForInput, h, uuid, yearsFrom } from "./dom.js";
import { clearFieldErrors, reportProblems, setBusy, setMessage } from "./fields.js";
import { PhotoEditor } from "./photos.js";

// In the form's order: the first with a problem gets focus.
const FIELDS = ["name", "type", "breed", "age", "price", "sex", "size", "status", "good_with", "description"];
const GOOD_WITH = ["children", "dogs", "cats"];
const MAX_DESCRIPTION = 2000;
/** The form's values kept in a draft (and put back after signing in again). */
const VALUE_KEYS = ["name", "type", "breed", "age", "age_unit", "price", "status", "sex", "size",
  "good_with_children", "good_with_dogs", "good_with_cats", "description"];

/** Characters as the API counts them (code points: an emoji is one). */
function length(text) {
  return [...text].length;
}

function triState(value) {
  if (value === "true") return true;
  if (value === "false") return false;
  return null;
}

function triValue(value) {
  if (value === true) return "true";
  if (value === false) return "false";
  return "";
}

/**
 * Focus what opened a dialog again. A saved pet's card is drawn anew: then the same control of the new card
 * (its Edit button, or its name).
 */
function refocus(opener) {
  if (!opener) return;
  let target = opener;
  if (!opener.isConnected) {
    const id = opener.closest?.("[data-pet-id]")?.dataset.petId;
    const card = id && document.querySelector(`.panel:not([hidden]) [data-pet-id="${CSS.escape(id)}"]`);
    target = card && card.querySelector(opener.matches(".pet-name") ? ".pet-name" : ".pet-actions .btn");
  }
  if (target && target.isConnected && target.offsetParent !== null) target.focus();
}
const DRAFT_KEY = "petstore.draft";

export class Staff {
  /**
   * onSaved(pet, {created, before}) updates the lists (returns true when it moved focus itself);
   * onDeleted(pet, opener) removes the pet and places focus; onTitle(text|null) names the open form.
   */
  constructor({ api, auth, toast, onSaved, onDeleted, onTitle }) {
    this.api = api;
    this.auth = auth;
    this.toast = toast;
    this.onSaved = onSaved;
    this.onDeleted = onDeleted;
    this.onTitle = onTitle;
    this.state = null; // {mode, pet, idempotencyKey, lastCreateBody, pending, opener}
    const $ = (id) => document.getElementById(id);
    this.el = {
      dialog: $("edit-dialog"), form: $("edit-form"), title: $("edit-title"), notice: $("edit-notice"),
      error: $("edit-error"), submit: $("edit-submit"), cancel: $("edit-cancel"), ageUnit: $("e-age-unit"),
      confirm: $("confirm-dialog"), confirmTitle: $("confirm-title"), confirmText: $("confirm-text"),
      confirmError: $("confirm-error"), confirmOk: $("confirm-ok"), confirmCancel: $("confirm-cancel"),
      description: $("e-description"), descriptionCount: $("e-description-count"),
    };
    this.el.description.addEventListener("input", () => this.#countDescription());
    this.photos = new PhotoEditor({ api, toast, onPet: (pet) => this.#photosChanged(pet) });
    this.el.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.el.cancel.addEventListener("click", () => this.el.dialog.close());
    this.el.confirmCancel.addEventListener("click", () => this.el.confirm.close());
    for (const dialog of [this.el.dialog, this.el.confirm]) {
      dialog.addEventListener("click", (event) => {
        if (event.target === dialog && !dialog.dataset.busy) dialog.close();
      });
      dialog.addEventListener("cancel", (event) => {
        if (dialog.dataset.busy) event.preventDefault();
      });
    }
    this.el.dialog.addEventListener("close", () => this.#editorClosed());
    this.el.confirm.addEventListener("close", () => this.#confirmClosed());
  }

  get admin() {
    return this.auth.isAdmin;
  }

  // ------------------------------------------------------------ the form

  openEditor(pet, opener = null) {
    if (!this.admin) return;
    this.state = {
      mode: pet ? "edit" : "create",
      pet: pet ? { ...pet } : null,
      idempotencyKey: uuid(),
      lastCreateBody: undefined,
      pending: false,
      opener: opener || document.activeElement,
      focusTaken: false,
      email: this.auth.email, // who is editing (the session may be gone when the draft is kept)
    };
    this.el.form.reset();
    clearFieldErrors(this.el.form);
    setMessage(this.el.error, "");
    setMessage(this.el.notice, "");
    if (pet) this.#fill(pet);
    this.#countDescription();
    this.photos.show(pet ? { ...pet } : null);
    this.#label();
    this.el.dialog.showModal();
    this.el.form.elements.name.focus();
  }

  #label() {
    const pet = this.state.pet;
    this.el.title.textContent = pet ? `Edit ${pet.name}` : "Add a pet";
    this.el.submit.textContent = pet ? "Save changes" : "Add pet";
    this.onTitle?.(pet ? `Edit ${pet.name}` : "Add a pet");
  }

  #fill(pet) {
    const f = this.el.form.elements;
    const age = ageForInput(pet.age);
    f.name.value = pet.name;
    f.type.value = pet.type;
    f.breed.value = pet.breed || "";
    f.age.value = age.value;
    f.age_unit.value = age.unit;
    f.price.value = String(pet.price);
    f.status.value = pet.status;
    f.sex.value = pet.sex || "";
    f.size.value = pet.size || "";
    for (const member of GOOD_WITH) f[`good_with_${member}`].value = triValue(pet.good_with?.[member]);
    f.description.value = pet.description || "";
    this.#countDescription();
  }

  #values() {
    const f = this.el.form.elements;
    const values = Object.fromEntries(VALUE_KEYS.map((key) => [key, f[key].value]));
    return { ...values, ageBad: f.age.validity.badInput, priceBad: f.price.validity.badInput };
  }

  #setValues(values) {
    const f = this.el.form.elements;
    for (const key of VALUE_KEYS) {
      if (values[key] !== undefined) f[key].value = values[key];
    }
    this.#countDescription();
  }

  /** "123 of 2,000 characters.", marked when over. */
  #countDescription() {
    const n = length(this.el.description.value.trim());
    this.el.descriptionCount.textContent = `${n.toLocaleString("en-US")} of ${MAX_DESCRIPTION.toLocaleString("en-US")} characters.`;
    this.el.descriptionCount.classList.toggle("over-limit", n > MAX_DESCRIPTION);
  }

  /** The inputs a field's problem is about (the three good-with choices share one message). */
  #inputs(field) {
    const f = this.el.form.elements;
    if (field === "good_with") return GOOD_WITH.map((member) => f[`good_with_${member}`]);
    return f[field];
  }

  /** {body, problems}: the pet to send, or what to fix, field by field. */
  #read() {
    const v = this.#values();
    const problems = {};
    const name = v.name.trim();
    const type = v.type.trim().toLowerCase();
    const breed = v.breed.trim();
    const age = v.age.trim() === "" || v.ageBad ? NaN : Number(v.age);
    const price = v.price.trim() === "" || v.priceBad ? NaN : Number(v.price);
    const unit = v.age_unit === "months" ? "months" : "years";
    if (!name) problems.name = "Give the pet a name.";
    if (!type) problems.type = "Say what kind of animal it is, such as “dog” or “cat”.";
    else if (!/^[a-z]+(?:[ -][a-z]+)*$/.test(type)) problems.type = "Type must be a word of letters, such as “dog” or “cat”.";
    if (!Number.isFinite(age)) problems.age = `Enter the age as a number of ${unit}.`;
    else if (age < 0) problems.age = "Age can't be below 0.";
    else if (yearsFrom(age, unit) > 100) problems.age = unit === "months" ? "Age must be at most 1,200 months." : "Age must be at most 100 years.";
    if (!Number.isFinite(price)) problems.price = "Enter the price as a number of dollars.";
    else if (price < 0) problems.price = "Price can't be below 0.";
    else if (price > 1_000_000) problems.price = "Price must be at most $1,000,000.";
    const description = v.description.trim();
    if (length(description) > MAX_DESCRIPTION) {
      problems.description = `The description is ${length(description).toLocaleString("en-US")} characters long; it can be at most 2,000.`;
    }
    const round2 = (n) => Math.round(n * 100) / 100;
    const body = {
      name, type, breed: breed || null, age: yearsFrom(age, unit), price: round2(price), status: v.status,
      sex: v.sex || null, size: v.size || null,
      good_with: Object.fromEntries(GOOD_WITH.map((member) => [member, triState(v[`good_with_${member}`])])),
      description: description || null,
    };
    return { body, problems };
  }

  #showProblems(problems) {
    const list = FIELDS.filter((field) => problems[field]).map((field) => ({
      inputs: this.#inputs(field),
      error: document.getElementById(`e-${field}-error`),
      message: problems[field],
    }));
    reportProblems(this.el.form, list);
    if (list.length) {
      setMessage(this.el.error, list.length > 1 ? `${list.length} details need fixing before the pet can be saved.` : "");
    }
    return list.length > 0;
  }

  async save() {
    const state = this.state;
    if (!state || state.pending) return;
    const { body, problems } = this.#read();
    setMessage(this.el.error, "");
    setMessage(this.el.notice, "");
    if (this.#showProblems(problems)) return;
    const dialog = this.el.dialog;
    const submit = this.el.submit;
    const label = submit.textContent;
    setBusy(submit, true, "Saving…");
    dialog.dataset.busy = "1";
    state.pending = true;
    try {
      await this.photos.settled(); // a photo changes the pet's version: save on top of it
      if (this.state !== state) return;
      if (state.mode === "edit") await this.#saveChanges(state, body);
      else await this.#create(state, body);
    } catch (error) {
      if (this.state !== state) return; // the form was closed meanwhile (e.g. the session ended)
      this.#saveFailed(state, error);
    } finally {
      state.pending = false;
      delete dialog.dataset.busy;
      setBusy(submit, false, label);
    }
  }

  /** A photo was added or removed: the form keeps what was typed and now edits the new version, unless someone else
   * changed the pet meanwhile (then saving reports the conflict, as for any edit). Lists and details show it. */
  #photosChanged(fresh) {
    const state = this.state;
    if (state?.pet && state.pet.id === fresh.id) {
      const others = (pet) => JSON.stringify({ ...pet, photos: null, version: null, updated_at: null });
      const before = state.pet.version;
      if (others(fresh) === others({ ...state.pet, updated_at: fresh.updated_at })) {
        state.pet = { ...state.pet, photos: fresh.photos, version: fresh.version, updated_at: fresh.updated_at };
      }
      if (fresh.version < before) return;
    }
    this.onSaved?.(fresh, { created: false, before: null, refreshOnly: true });
  }

  async #saveChanges(state, body) {
    // Only what changed; good_with member by member (the API merges it), null clearing a member.
    const changes = {};
    for (const [key, value] of Object.entries(body)) {
      if (key === "good_with") {
        const before = state.pet.good_with || {};
        const members = GOOD_WITH.filter((member) => (before[member] ?? null) !== value[member]);
        if (members.length) changes.good_with = Object.fromEntries(members.map((member) => [member, value[member]]));
      } else if (key === "description") {
        if ((state.pet.description || "").trim() !== (value || "")) changes.description = value;
      } else if ((state.pet[key] ?? null) !== value) {
        changes[key] = value;
      }
    }
    if (!Object.keys(changes).length) {
      this.#finish();
      this.toast("Nothing changed.");
      return;
    }
    const pet = await this.api.updatePet(state.pet.id, changes, state.pet.version);
    if (this.state !== state) return;
    this.#finish();
    this.toast(`Saved changes to ${pet.name}.`); // first: the list may say more (that the pet left it)
    state.focusTaken = Boolean(this.onSaved?.(pet, { created: false, before: state.pet }));
  }

  async #create(state, body) {
    // A new pet: what is not known is left out (the API's default is the same).
    const pet = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
    if (Object.values(body.good_with).every((value) => value === null)) delete pet.good_with;
    // Retrying the same pet reuses the key (no duplicate if the first answer was lost);
    // a changed form is a different request and gets a new one.
    const text = JSON.stringify(pet);
    if (state.lastCreateBody !== undefined && state.lastCreateBody !== text) state.idempotencyKey = uuid();
    state.lastCreateBody = text;
    const created = await this.api.createPet(pet, state.idempotencyKey);
    if (this.state !== state) return;
    this.#finish();
    state.focusTaken = Boolean(this.onSaved?.(created, { created: true, before: null }));
  }

  #finish() {
    delete this.el.dialog.dataset.busy;
    this.el.dialog.close();
  }

  #saveFailed(state, error) {
    if (error instanceof ApiError && error.status === 412 && state.mode === "edit") {
      setMessage(this.el.error,
        "Someone changed this pet while you were editing it. Reload to see the latest details, then make your change again.",
        h("button", { type: "button", class: "btn btn-small btn-ghost", onclick: () => this.#reload() }, "Reload latest"));
    } else if (error instanceof ApiError && error.status === 404 && state.mode === "edit") {
      setMessage(this.el.error, "This pet is no longer in the store; someone removed it.");
      this.onDeleted?.(state.pet, null, { quiet: true });
    } else if (error instanceof ApiError && error.status === 422) {
      const byField = {};
      for (const [key, message] of Object.entries(fieldErrors(error))) {
        const field = key.split(".")[0]; // good_with.cats is about the good-with choices
        if (!(field in byField)) byField[field] = message;
      }
      const problems = {};
      for (const field of FIELDS) {
        const message = byField[field];
        if (!message) continue;
        const what = field === "good_with" ? "Good with" : `${field[0].toUpperCase()}${field.slice(1)}`;
        const sentence = /^[a-z]/.test(message) ? `${what} ${message}` : message;
        problems[field] = `${sentence}.`.replace(/\.\.$/, ".");
      }
      if (!this.#showProblems(problems)) setMessage(this.el.error, error.message || "Some of the details are not valid.");
    } else {
      setMessage(this.el.error, error.message || "The pet could not be saved.");
    }
  }

  async #reload() {
    const state = this.state;
    if (!state?.pet) return;
    try {
      const pet = await this.api.getPet(state.pet.id);
      if (this.state !== state) return;
      state.pet = { ...pet };
      this.#fill(pet);
      this.#label();
      this.onSaved?.(pet, { created: false, before: null, refreshOnly: true });
      setMessage(this.el.error, "");
      setMessage(this.el.notice, "These are the latest details. Make your change again and save.");
      this.el.form.elements.name.focus();
    } catch (error) {
      setMessage(this.el.error, error.message);
    }
  }

  #editorClosed() {
    if (this.el.dialog.open) return; // opened again before this close event came
    const state = this.state;
    this.state = null;
    this.photos.show(null);
    this.onTitle?.(null);
    if (!state || state.focusTaken || state.keepFocus) return;
    refocus(state.opener);
  }

  // ------------------------------------------------------------ a draft across an expired session

  /** When the session ends with the form open: keep what was typed (and whether a save was under way). */
  keepDraft() {
    const state = this.state;
    if (!state || !this.el.dialog.open) return null;
    const draft = {
      email: state.email,
      mode: state.mode,
      pet: state.pet,
      values: this.#values(),
      idempotencyKey: state.idempotencyKey,
      lastCreateBody: state.lastCreateBody,
      saving: state.pending,
    };
    try {
      sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
    } catch {
      // Storage full or disabled: the draft lives as long as the page does.
    }
    this.draft = draft;
    state.keepFocus = true;
    return draft;
  }

  /** The kept draft, if any (for the sign-in message). */
  get pendingDraft() {
    if (this.draft) return this.draft;
    try {
      return JSON.parse(sessionStorage.getItem(DRAFT_KEY) || "null");
    } catch {
      return null;
    }
  }

  dropDraft() {
    this.draft = null;
    sessionStorage.removeItem(DRAFT_KEY);
  }

  /**
   * After signing in again: reopen the form with the draft, and finish the save that the expired session
   * interrupted. Returns what happened: "resumed", "not-allowed" (another user, or not staff) or null.
   */
  resumeDraft() {
    const draft = this.pendingDraft;
    if (!draft) return null;
    this.dropDraft();
    if (draft.email !== this.auth.email || !this.admin) return "not-allowed";
    this.openEditor(draft.mode === "edit" ? draft.pet : null);
    this.#setValues(draft.values);
    this.state.idempotencyKey = draft.idempotencyKey;
    this.state.lastCreateBody = draft.lastCreateBody;
    if (draft.saving) {
      setMessage(this.el.notice, "You were signed out before this was saved. Saving it now…");
      this.save();
    } else {
      setMessage(this.el.notice, "You were signed out while editing. Here is what you had typed: check it and save.");
    }
    return "resumed";
  }

  // ------------------------------------------------------------ delete

  confirmDelete(pet, opener = null) {
    if (!this.admin) return;
    const { confirm: dialog, confirmOk: ok } = this.el;
    this.deleting = { pet, opener: opener || document.activeElement, done: false };
    this.el.confirmTitle.textContent = `Delete ${pet.name}?`;
    this.el.confirmText.textContent = `${pet.name} will be removed from the store for everyone. This can't be undone.`;
    setMessage(this.el.confirmError, "");
    ok.onclick = () => this.#delete(pet);
    this.onTitle?.(`Delete ${pet.name}?`);
    dialog.showModal();
    this.el.confirmCancel.focus();
  }

  async #delete(pet) {
    const { confirm: dialog, confirmOk: ok } = this.el;
    const deleting = this.deleting;
    if (!deleting || deleting.busy) return;
    deleting.busy = true;
    setBusy(ok, true, "Deleting…");
    dialog.dataset.busy = "1";
    try {
      await this.api.deletePet(pet.id);
      this.toast(`${pet.name} was removed from the store.`);
      deleting.done = true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.toast(`${pet.name} was already removed.`);
        deleting.done = true;
      } else {
        setMessage(this.el.confirmError, error.message || "The pet could not be deleted.");
      }
    } finally {
      delete dialog.dataset.busy;
      deleting.busy = false;
      setBusy(ok, false, "Delete pet");
    }
    if (deleting.done && dialog.open) dialog.close();
  }

  #confirmClosed() {
    if (this.el.confirm.open) return;
    const deleting = this.deleting;
    this.deleting = null;
    this.onTitle?.(null);
    if (!deleting) return;
    if (deleting.done) {
      this.onDeleted?.(deleting.pet, deleting.opener);
      return;
    }
    refocus(deleting.opener);
  }
}
