// Browse the pets with filters, page through them, see one, and (staff) add, edit and delete.
import { ApiError } from "./api.js";
import { petCard, petDetails } from "./cards.js";
import { capitalize, h, pluralType, replace, uuid } from "./dom.js";

const BASE_TYPES = ["dog", "cat", "bird", "rabbit", "fish", "hamster", "reptile"];
const PAGE_SIZE = 12;

export class Browse {
  constructor({ api, auth, toast }) {
    this.api = api;
    this.auth = auth;
    this.toast = toast;
    this.types = new Set(BASE_TYPES);
    this.cursor = null;
    this.pets = new Map();
    this.loadSeq = 0;
    this.el = {
      form: document.getElementById("filters"),
      typeOptions: document.getElementById("type-options"),
      filterError: document.getElementById("filter-error"),
      grid: document.getElementById("pet-grid"),
      summary: document.getElementById("results-summary"),
      empty: document.getElementById("browse-empty"),
      error: document.getElementById("browse-error"),
      more: document.getElementById("load-more"),
      add: document.getElementById("add-pet"),
      typeList: document.getElementById("type-list"),
      petDialog: document.getElementById("pet-dialog"),
      petDialogBody: document.getElementById("pet-dialog-body"),
      editDialog: document.getElementById("edit-dialog"),
      editForm: document.getElementById("edit-form"),
      editTitle: document.getElementById("edit-title"),
      editError: document.getElementById("edit-error"),
      editSubmit: document.getElementById("edit-submit"),
      editCancel: document.getElementById("edit-cancel"),
      confirmDialog: document.getElementById("confirm-dialog"),
      confirmText: document.getElementById("confirm-text"),
      confirmTitle: document.getElementById("confirm-title"),
      confirmError: document.getElementById("confirm-error"),
      confirmOk: document.getElementById("confirm-ok"),
      confirmCancel: document.getElementById("confirm-cancel"),
    };
    this.renderTypeOptions();
    // On a phone the filters start folded so the pets come first.
    if (window.matchMedia("(max-width: 560px)").matches) document.getElementById("filters-box").open = false;
    this.el.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.load(true);
    });
    this.el.form.addEventListener("reset", () => window.setTimeout(() => this.load(true), 0));
    for (const id of ["f-sort", "f-status"]) document.getElementById(id).addEventListener("change", () => this.load(true));
    this.el.typeOptions.addEventListener("change", () => this.load(true));
    this.el.more.addEventListener("click", () => this.load(false));
    this.el.add.addEventListener("click", () => this.openEditor(null));
    this.el.editForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveEditor();
    });
    this.el.editCancel.addEventListener("click", () => this.el.editDialog.close());
    this.el.confirmCancel.addEventListener("click", () => this.el.confirmDialog.close());
    for (const dialog of [this.el.petDialog, this.el.editDialog, this.el.confirmDialog]) {
      // Clicking the backdrop closes a dialog, like Escape does.
      dialog.addEventListener("click", (event) => {
        if (event.target === dialog && !dialog.dataset.busy) dialog.close();
      });
      dialog.addEventListener("cancel", (event) => {
        if (dialog.dataset.busy) event.preventDefault();
      });
    }
  }

  get admin() {
    return this.auth.isAdmin;
  }

  // ------------------------------------------------------------ filters

  renderTypeOptions() {
    const checked = new Set(this.selectedTypes());
    const types = [...this.types].sort((a, b) => (BASE_TYPES.indexOf(a) + 1 || 99) - (BASE_TYPES.indexOf(b) + 1 || 99) || a.localeCompare(b));
    replace(this.el.typeOptions, types.map((type) => {
      const id = `f-type-${type.replace(/[^a-z0-9]+/g, "-")}`;
      return h("span", { class: "type-option" },
        h("input", { type: "checkbox", id, name: "type", value: type, checked: checked.has(type) }),
        h("label", { for: id }, capitalize(pluralType(type))));
    }));
    replace(this.el.typeList, types.map((type) => h("option", { value: type })));
  }

  noteTypes(pets) {
    let added = false;
    for (const pet of pets) {
      if (pet.type && !this.types.has(pet.type)) {
        this.types.add(pet.type);
        added = true;
      }
    }
    if (added) this.renderTypeOptions();
  }

  selectedTypes() {
    return [...this.el.typeOptions.querySelectorAll("input[name=type]:checked")].map((input) => input.value);
  }

  readFilters() {
    const value = (id) => document.getElementById(id).value.trim();
    const number = (id, label) => {
      const text = value(id);
      if (!text) return null;
      const n = Number(text);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${label} must be a number of 0 or more.`);
      return n;
    };
    const filters = {
      type: this.selectedTypes(),
      min_price: number("f-min-price", "The minimum price"),
      max_price: number("f-max-price", "The maximum price"),
      min_age: number("f-min-age", "The minimum age"),
      max_age: number("f-max-age", "The maximum age"),
      status: value("f-status") || null,
      sort: value("f-sort") || null,
    };
    if (filters.min_price != null && filters.max_price != null && filters.min_price > filters.max_price) {
      throw new Error("The minimum price is higher than the maximum price.");
    }
    if (filters.min_age != null && filters.max_age != null && filters.min_age > filters.max_age) {
      throw new Error("The minimum age is higher than the maximum age.");
    }
    return filters;
  }

  // ------------------------------------------------------------ listing

  reset() {
    this.el.form.reset();
    replace(this.el.grid);
    this.pets.clear();
    this.cursor = null;
    this.el.summary.textContent = "";
    this.el.more.hidden = true;
    this.el.empty.hidden = true;
    this.el.error.hidden = true;
  }

  applyRole() {
    this.el.add.hidden = !this.admin;
  }

  async load(fresh) {
    this.applyRole();
    let filters;
    try {
      filters = this.readFilters();
      this.el.filterError.hidden = true;
    } catch (error) {
      this.el.filterError.textContent = error.message;
      this.el.filterError.hidden = false;
      return;
    }
    if (fresh) {
      this.filters = filters;
      const active = Object.values(filters).reduce((n, v) => n + (Array.isArray(v) ? v.length : v != null ? 1 : 0), 0);
      const badge = document.getElementById("filter-count");
      badge.textContent = active ? `${active} active` : "";
      badge.hidden = !active;
    }
    const seq = ++this.loadSeq;
    const cursor = fresh ? null : this.cursor;
    this.el.error.hidden = true;
    this.el.grid.setAttribute("aria-busy", "true");
    this.el.more.disabled = true;
    if (fresh) {
      this.el.summary.textContent = "Loading pets…";
      this.el.empty.hidden = true;
      this.el.more.hidden = true;
      replace(this.el.grid, Array.from({ length: 6 }, () => h("li", { class: "pet-card skeleton", "aria-hidden": "true" })));
    } else {
      this.el.more.textContent = "Loading…";
    }
    try {
      const page = await this.api.listPets(this.filters, cursor, PAGE_SIZE);
      if (seq !== this.loadSeq) return;
      if (fresh) {
        replace(this.el.grid);
        this.pets.clear();
      }
      this.cursor = page.next_cursor || null;
      this.noteTypes(page.pets);
      for (const pet of page.pets) {
        this.pets.set(pet.id, pet);
        this.el.grid.append(this.card(pet));
      }
      this.updateSummary();
      if (!fresh && page.pets.length) {
        // Keep keyboard users where they were: focus the first new pet.
        const first = this.el.grid.querySelector(`[data-pet-id="${CSS.escape(page.pets[0].id)}"] .pet-name`);
        first?.focus();
      }
    } catch (error) {
      if (seq !== this.loadSeq) return;
      if (fresh) replace(this.el.grid);
      this.showError(error);
    } finally {
      if (seq === this.loadSeq) {
        this.el.grid.setAttribute("aria-busy", "false");
        this.el.more.disabled = false;
        this.el.more.textContent = "Load more";
        this.el.more.hidden = !this.cursor;
      }
    }
  }

  card(pet) {
    return petCard(pet, {
      onOpen: (p) => this.openDetails(p),
      admin: this.admin,
      onEdit: (p) => this.openEditor(p),
      onDelete: (p) => this.confirmDelete(p),
    });
  }

  updateSummary() {
    const count = this.pets.size;
    const filtered = this.filters && Object.values(this.filters).some((v) => (Array.isArray(v) ? v.length : v != null));
    if (!count) {
      this.el.summary.textContent = "No pets to show";
      replace(this.el.empty,
        h("p", { class: "empty-title" }, filtered ? "No pets match these filters." : "The store has no pets yet."),
        h("p", { class: "muted" }, filtered
          ? "Try a wider price or age range, or clear the filters."
          : this.admin ? "Add the first one with “Add a pet”." : "Check back soon: new friends arrive all the time."));
      this.el.empty.hidden = false;
    } else {
      this.el.empty.hidden = true;
      this.el.summary.textContent = `Showing ${count} pet${count === 1 ? "" : "s"}${this.cursor ? " (more available)" : ""}`;
    }
  }

  showError(error) {
    this.el.summary.textContent = "";
    this.el.error.textContent = error.message || "Something went wrong.";
    this.el.error.hidden = false;
  }

  replaceCard(pet) {
    this.pets.set(pet.id, pet);
    const old = this.el.grid.querySelector(`[data-pet-id="${CSS.escape(pet.id)}"]`);
    if (old) old.replaceWith(this.card(pet));
  }

  removeCard(id) {
    this.pets.delete(id);
    this.el.grid.querySelector(`[data-pet-id="${CSS.escape(id)}"]`)?.remove();
    this.updateSummary();
  }

  // ------------------------------------------------------------ details

  async openDetails(pet) {
    const dialog = this.el.petDialog;
    const render = (p) => replace(this.el.petDialogBody, petDetails(p, {
      admin: this.admin,
      onClose: () => dialog.close(),
      onEdit: (x) => { dialog.close(); this.openEditor(x); },
      onDelete: (x) => { dialog.close(); this.confirmDelete(x); },
    }));
    render(pet);
    if (!dialog.open) dialog.showModal();
    // Show the latest version (someone may have changed it since the list was read).
    try {
      const fresh = await this.api.getPet(pet.id);
      if (dialog.open && fresh && fresh.id === pet.id) {
        render(fresh);
        this.replaceCard(fresh);
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        dialog.close();
        this.removeCard(pet.id);
        this.toast(`${pet.name} is no longer in the store.`);
      }
    }
  }

  // ------------------------------------------------------------ add and edit

  openEditor(pet) {
    if (!this.admin) return;
    const { editForm: form, editDialog: dialog } = this.el;
    this.editing = pet ? { ...pet } : null;
    this.idempotencyKey = uuid();
    this.lastCreateBody = undefined;
    form.reset();
    this.hideEditError();
    this.el.editTitle.textContent = pet ? `Edit ${pet.name}` : "Add a pet";
    this.el.editSubmit.textContent = pet ? "Save changes" : "Add pet";
    if (pet) this.fillEditor(pet);
    dialog.showModal();
    form.elements.name.focus();
  }

  fillEditor(pet) {
    const f = this.el.editForm.elements;
    f.name.value = pet.name;
    f.type.value = pet.type;
    f.breed.value = pet.breed || "";
    f.age.value = String(pet.age);
    f.price.value = String(pet.price);
    f.status.value = pet.status;
  }

  hideEditError() {
    replace(this.el.editError);
    this.el.editError.hidden = true;
  }

  showEditError(message, action = null) {
    replace(this.el.editError, h("p", {}, message), action);
    this.el.editError.hidden = false;
  }

  readEditor() {
    const f = this.el.editForm.elements;
    const problems = [];
    const name = f.name.value.trim();
    const type = f.type.value.trim().toLowerCase();
    const breed = f.breed.value.trim();
    const age = f.age.value.trim() === "" ? NaN : Number(f.age.value);
    const price = f.price.value.trim() === "" ? NaN : Number(f.price.value);
    if (!name) problems.push("Give the pet a name.");
    if (!/^[a-z]+(?:[ -][a-z]+)*$/.test(type)) problems.push("Type must be a word such as “dog” or “cat”.");
    if (!Number.isFinite(age) || age < 0 || age > 100) problems.push("Age must be a number of years from 0 to 100.");
    if (!Number.isFinite(price) || price < 0 || price > 1_000_000) problems.push("Price must be a number from 0 to 1,000,000.");
    if (problems.length) throw new Error(problems.join(" "));
    const round2 = (n) => Math.round(n * 100) / 100;
    return { name, type, breed: breed || null, age: round2(age), price: round2(price), status: f.status.value };
  }

  async saveEditor() {
    const dialog = this.el.editDialog;
    let values;
    try {
      values = this.readEditor();
    } catch (error) {
      this.showEditError(error.message);
      return;
    }
    const editing = this.editing;
    const submit = this.el.editSubmit;
    const label = submit.textContent;
    submit.disabled = true;
    submit.textContent = "Saving…";
    dialog.dataset.busy = "1";
    this.hideEditError();
    try {
      if (editing) {
        const changes = {};
        for (const [key, value] of Object.entries(values)) {
          if ((editing[key] ?? null) !== value) changes[key] = value;
        }
        if (!Object.keys(changes).length) {
          delete dialog.dataset.busy;
          dialog.close();
          this.toast("Nothing changed.");
          return;
        }
        const pet = await this.api.updatePet(editing.id, changes, editing.version);
        this.noteTypes([pet]);
        this.replaceCard(pet);
        delete dialog.dataset.busy;
        dialog.close();
        this.toast(`Saved changes to ${pet.name}.`);
      } else {
        const pet = values.breed === null ? { ...values, breed: undefined } : values;
        // Retrying the same pet reuses the key (no duplicate if the first answer was lost);
        // a changed form is a different request and gets a new one.
        const body = JSON.stringify(pet);
        if (this.lastCreateBody !== undefined && this.lastCreateBody !== body) this.idempotencyKey = uuid();
        this.lastCreateBody = body;
        const created = await this.api.createPet(pet, this.idempotencyKey);
        this.noteTypes([created]);
        delete dialog.dataset.busy;
        dialog.close();
        this.toast(`${created.name} was added to the store.`);
        this.pets.set(created.id, created);
        this.el.grid.prepend(this.card(created));
        this.updateSummary();
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 412 && editing) {
        this.showEditError(
          "Someone changed this pet while you were editing it. Reload to see the latest details, then make your change again.",
          h("button", { type: "button", class: "btn btn-small btn-ghost", onclick: () => this.reloadEditor() }, "Reload latest"),
        );
      } else if (error instanceof ApiError && error.status === 404 && editing) {
        this.showEditError("This pet is no longer in the store; someone removed it.");
        this.removeCard(editing.id);
      } else {
        this.showEditError(error.message || "The pet could not be saved.");
      }
    } finally {
      delete dialog.dataset.busy;
      submit.disabled = false;
      submit.textContent = label;
    }
  }

  async reloadEditor() {
    if (!this.editing) return;
    try {
      const pet = await this.api.getPet(this.editing.id);
      this.editing = { ...pet };
      this.fillEditor(pet);
      this.replaceCard(pet);
      this.el.editTitle.textContent = `Edit ${pet.name}`;
      this.showEditError("These are the latest details. Make your change again and save.");
      this.el.editForm.elements.name.focus();
    } catch (error) {
      this.showEditError(error.message);
    }
  }

  // ------------------------------------------------------------ delete

  confirmDelete(pet) {
    if (!this.admin) return;
    const { confirmDialog: dialog, confirmOk: ok } = this.el;
    this.el.confirmTitle.textContent = `Delete ${pet.name}?`;
    this.el.confirmText.textContent = `${pet.name} will be removed from the store for everyone. This can't be undone.`;
    this.el.confirmError.hidden = true;
    const onOk = async () => {
      ok.disabled = true;
      ok.textContent = "Deleting…";
      dialog.dataset.busy = "1";
      try {
        await this.api.deletePet(pet.id);
        delete dialog.dataset.busy;
        dialog.close();
        this.removeCard(pet.id);
        this.toast(`${pet.name} was removed from the store.`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          delete dialog.dataset.busy;
          dialog.close();
          this.removeCard(pet.id);
          this.toast(`${pet.name} was already removed.`);
        } else {
          this.el.confirmError.textContent = error.message || "The pet could not be deleted.";
          this.el.confirmError.hidden = false;
        }
      } finally {
        delete dialog.dataset.busy;
        ok.disabled = false;
        ok.textContent = "Delete pet";
      }
    };
    ok.onclick = onOk;
    dialog.showModal();
    this.el.confirmCancel.focus();
  }
}
