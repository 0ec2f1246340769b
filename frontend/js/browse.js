// Browse: search and filters (kept in the URL), pages of pets with a count, and the list kept true to its
// filters when staff add, change or remove a pet.
import { capitalize, formatNumber, h, pluralType, replace, announce } from "./dom.js";
import { petCard, sortLabel } from "./cards.js";
import {
  GOOD_WITH, activeCount, compareFor, defaultStatus, matches, paramsFromState, stateFromParams, validate,
} from "./filters.js";
import { clearFieldErrors, isBusy, reportProblems, setBusy } from "./fields.js";

const BASE_TYPES = ["dog", "cat", "bird", "rabbit", "fish", "hamster", "reptile"];
const PAGE_SIZE = 12;
const PHONE = "(max-width: 560px)";

export class Browse {
  /** navigate(params) puts new filters in the URL (a new history entry) and shows them. */
  constructor({ api, auth, toast, navigate, openPet, staff }) {
    this.api = api;
    this.auth = auth;
    this.toast = toast;
    this.navigate = navigate;
    this.openPet = openPet;
    this.staff = staff;
    this.types = new Set(BASE_TYPES);
    this.pets = new Map(); // shown, in order
    this.cursor = null;
    this.total = null;
    this.totalCapped = false;
    this.moreToSearch = false;
    this.filters = null; // GET /pets's query of the list shown
    this.loadedKey = null;
    this.loadSeq = 0;
    const $ = (id) => document.getElementById(id);
    this.el = {
      box: $("filters-box"), form: $("filters"), typeOptions: $("type-options"), typeList: $("type-list"),
      q: $("f-q"), minPrice: $("f-min-price"), maxPrice: $("f-max-price"), minAge: $("f-min-age"), maxAge: $("f-max-age"),
      ageUnit: $("f-age-unit"), status: $("f-status"), sort: $("f-sort"), count: $("filter-count"),
      sex: $("f-sex"), size: $("f-size"),
      goodWith: Object.fromEntries(GOOD_WITH.map((member) => [member, $(`f-good-${member}`)])),
      priceError: $("f-price-error"), ageError: $("f-age-error"),
      grid: $("pet-grid"), summary: $("results-summary"), order: $("results-order"), empty: $("browse-empty"),
      error: $("browse-error"), errorText: $("browse-error-text"), retry: $("browse-retry"),
      more: $("load-more"), moreError: $("more-error"), add: $("add-pet"), clear: $("clear-filters"),
    };
    this.renderTypeOptions();
    // On a phone the filters start folded so the pets come first.
    if (window.matchMedia(PHONE).matches) this.el.box.open = false;
    this.el.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit({ fromButton: true });
    });
    // Choices apply at once; typed fields (search, prices, ages) wait for "Show pets" or Enter.
    const choices = [this.el.sort, this.el.status, this.el.typeOptions, this.el.sex, this.el.size, ...Object.values(this.el.goodWith)];
    for (const el of choices) el.addEventListener("change", () => this.submit());
    this.el.q.addEventListener("search", () => {
      if (!this.el.q.value) this.submit(); // the field's clear button
    });
    this.el.ageUnit.addEventListener("change", () => {
      if (this.el.minAge.value || this.el.maxAge.value) this.submit();
    });
    this.el.clear.addEventListener("click", () => {
      clearFieldErrors(this.el.form);
      this.loadedKey = null; // show the defaults again even when they are what the URL already says
      this.navigate(new URLSearchParams());
    });
    this.el.more.addEventListener("click", () => {
      if (!isBusy(this.el.more)) this.load(false);
    });
    this.el.retry.addEventListener("click", () => this.load(true));
    this.el.add.addEventListener("click", () => this.staff.openEditor(null, this.el.add));
  }

  get admin() {
    return this.auth.isAdmin;
  }

  // ------------------------------------------------------------ the form

  renderTypeOptions() {
    const checked = new Set(this.#checkedTypes());
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

  #checkedTypes() {
    return [...this.el.typeOptions.querySelectorAll("input[name=type]:checked")].map((input) => input.value);
  }

  /** The filter state as typed (a number field the browser could not read counts as "not a number"). */
  #readForm() {
    const number = (input) => (input.validity.badInput ? "not a number" : input.value.trim());
    return {
      q: this.el.q.value.trim(),
      type: this.#checkedTypes(),
      min_price: number(this.el.minPrice),
      max_price: number(this.el.maxPrice),
      min_age: number(this.el.minAge),
      max_age: number(this.el.maxAge),
      age_unit: this.el.ageUnit.value,
      status: this.el.status.value,
      sex: this.el.sex.value,
      size: this.el.size.value,
      ...Object.fromEntries(GOOD_WITH.map((member) => [`good_with_${member}`, this.el.goodWith[member].value])),
      sort: this.el.sort.value,
    };
  }

  #fillForm(state) {
    this.el.q.value = state.q;
    this.noteTypes(state.type.map((type) => ({ type })));
    for (const input of this.el.typeOptions.querySelectorAll("input[name=type]")) input.checked = state.type.includes(input.value);
    this.el.minPrice.value = state.min_price;
    this.el.maxPrice.value = state.max_price;
    this.el.minAge.value = state.min_age;
    this.el.maxAge.value = state.max_age;
    this.el.ageUnit.value = state.age_unit;
    this.el.status.value = state.status;
    this.el.sex.value = state.sex;
    this.el.size.value = state.size;
    for (const member of GOOD_WITH) this.el.goodWith[member].value = state[`good_with_${member}`];
    this.el.sort.value = state.sort;
  }

  /** Show filter problems beside their fields; the results below are marked as out of date. */
  #showProblems(problems, focus) {
    const inputs = { min_price: this.el.minPrice, max_price: this.el.maxPrice, min_age: this.el.minAge, max_age: this.el.maxAge };
    reportProblems(this.el.form, problems.map((p) => ({
      inputs: p.keys.map((k) => inputs[k]),
      error: p.group === "price" ? this.el.priceError : this.el.ageError,
      message: p.message,
    })), { focus });
    if (focus && !this.el.box.open) this.el.box.open = true;
    this.el.error.hidden = true;
    this.el.grid.classList.toggle("stale", this.pets.size > 0);
    this.el.summary.textContent = "Fix the filter to see pets";
    this.el.order.textContent = this.pets.size ? "The pets below are from the previous search." : "";
    this.el.more.hidden = true;
    this.el.moreError.hidden = true;
  }

  /** The person asked for these filters (Show pets, or a choice that applies at once). */
  submit({ fromButton = false } = {}) {
    const state = this.#readForm();
    const { problems } = validate(state);
    if (problems.length) {
      this.#showProblems(problems, true);
      return;
    }
    clearFieldErrors(this.el.form);
    const params = paramsFromState(state, this.admin);
    if (fromButton && window.matchMedia(PHONE).matches) {
      // On a phone, fold the panel so the results are what the person sees next.
      this.el.box.open = false;
      this.el.summary.focus({ preventScroll: true });
      this.el.summary.scrollIntoView({ block: "start" });
    }
    const same = params.toString() === this.params().toString() && this.loadedKey === this.#key(params);
    if (same) this.load(true);
    else this.navigate(params);
  }

  // ------------------------------------------------------------ showing a URL's filters

  /** The URL parameters of the filters shown now. */
  params() {
    return this.currentParams || new URLSearchParams();
  }

  #key(params) {
    return `${this.admin ? "staff" : "shopper"}|${params.toString()}`;
  }

  /** Show the list for these URL parameters (loading only when they changed). */
  show(params) {
    this.el.add.hidden = !this.admin;
    const state = stateFromParams(params, this.admin);
    const normal = paramsFromState(state, this.admin);
    const key = this.#key(normal);
    if (key === this.loadedKey) return;
    this.currentParams = normal;
    this.#fillForm(state);
    const count = activeCount(state, this.admin);
    this.el.count.textContent = count ? `${count} active` : "";
    this.el.count.hidden = !count;
    const { filters, problems } = validate(state);
    if (problems.length) {
      this.#showProblems(problems, false);
      this.loadedKey = null;
      return;
    }
    clearFieldErrors(this.el.form);
    this.filters = filters;
    this.state = state;
    this.loadedKey = key;
    this.load(true);
  }

  // ------------------------------------------------------------ listing

  reset() {
    this.loadSeq += 1;
    this.el.form.reset();
    clearFieldErrors(this.el.form);
    replace(this.el.grid);
    this.pets.clear();
    this.cursor = null;
    this.total = null;
    this.filters = null;
    this.loadedKey = null;
    this.currentParams = null;
    this.el.summary.textContent = "Pets";
    this.el.order.textContent = "";
    this.el.more.hidden = true;
    this.el.moreError.hidden = true;
    this.el.empty.hidden = true;
    this.el.error.hidden = true;
  }

  async load(fresh) {
    if (!this.filters) return;
    const seq = ++this.loadSeq;
    const filters = this.filters;
    const cursor = fresh ? null : this.cursor;
    this.el.error.hidden = true;
    this.el.moreError.hidden = true;
    this.el.grid.setAttribute("aria-busy", "true");
    setBusy(this.el.more, true);
    if (fresh) {
      this.el.grid.classList.remove("stale");
      this.el.summary.textContent = "Loading pets…";
      this.el.empty.hidden = true;
      this.el.more.hidden = true;
      this.cursor = null;
      replace(this.el.grid, Array.from({ length: 6 }, () => h("li", { class: "pet-card skeleton", "aria-hidden": "true" })));
    } else {
      this.el.more.textContent = "Loading…";
    }
    try {
      const page = await this.api.listPets(filters, cursor, PAGE_SIZE);
      if (seq !== this.loadSeq) return;
      if (fresh) {
        replace(this.el.grid);
        this.pets.clear();
      }
      this.cursor = page.next_cursor || null;
      if (typeof page.total === "number") {
        this.total = page.total;
        this.totalCapped = page.total_capped === true;
      } else if (fresh) {
        this.total = null;
        this.totalCapped = false;
      }
      this.moreToSearch = Boolean(page.meta?.more_to_search && this.cursor);
      const pets = (page.pets || []).filter((pet) => !this.pets.has(pet.id));
      this.noteTypes(pets);
      for (const pet of pets) {
        this.pets.set(pet.id, pet);
        this.el.grid.append(this.card(pet));
      }
      this.updateSummary();
      announce(this.el.summary.textContent);
      if (!fresh && pets.length) {
        // Keep keyboard users where they were: on the first new pet.
        this.#cardButton(pets[0].id)?.focus();
      }
    } catch (error) {
      if (seq !== this.loadSeq) return;
      if (fresh) this.#showLoadError(error);
      else this.#showMoreError(error);
    } finally {
      if (seq === this.loadSeq) {
        this.el.grid.setAttribute("aria-busy", "false");
        setBusy(this.el.more, false);
        this.el.more.hidden = !this.cursor;
        if (this.el.moreError.hidden) this.el.more.textContent = this.moreToSearch ? "Keep searching" : "Load more";
      }
    }
  }

  #showLoadError(error) {
    // A list that failed to load has no next page: its Load more would belong to another search.
    replace(this.el.grid);
    this.pets.clear();
    this.cursor = null;
    this.total = null;
    this.loadedKey = null;
    this.el.summary.textContent = "Couldn't load pets";
    this.el.order.textContent = "";
    this.el.errorText.textContent = error.message || "Something went wrong.";
    this.el.error.hidden = false;
  }

  #showMoreError(error) {
    // Beside the button the person just pressed, where they are looking; the button stays to try again.
    this.el.moreError.textContent = `Couldn't load more pets. ${error.message || ""}`.trim();
    this.el.moreError.hidden = false;
    this.el.more.textContent = "Try again";
  }

  card(pet) {
    return petCard(pet, {
      onOpen: (p, button) => this.openPet(p, button),
      admin: this.admin,
      viewer: this.auth,
      onEdit: (p) => this.staff.openEditor(p),
      onDelete: (p) => this.staff.confirmDelete(p),
    });
  }

  #cardButton(id) {
    return this.el.grid.querySelector(`[data-pet-id="${CSS.escape(id)}"] .pet-name`);
  }

  #countText() {
    if (this.total == null) return null;
    return this.totalCapped ? `${formatNumber(this.total)}+` : formatNumber(this.total);
  }

  updateSummary() {
    const shown = this.pets.size;
    const filtered = this.state && activeCount(this.state, this.admin) > 0;
    const plural = (n) => (n === 1 && !this.totalCapped ? "pet" : "pets");
    const total = this.#countText();
    if (!shown) {
      this.el.summary.textContent = this.cursor ? "No pets found yet" : "No pets to show";
      const searching = this.cursor
        ? "The first part of the store had no match. “Keep searching” looks further."
        : null;
      replace(this.el.empty,
        h("p", { class: "empty-title" }, filtered ? "No pets match these filters." : "The store has no pets to show yet."),
        h("p", { class: "muted" }, searching || (filtered
          ? "Try a wider price or age range, fewer choices about the pet, another status, or clear the filters."
          : this.admin ? "Add the first one with “Add a pet”." : "Check back soon: new friends arrive all the time.")));
      this.el.empty.hidden = false;
    } else {
      this.el.empty.hidden = true;
      if (total != null) {
        this.el.summary.textContent = `${formatNumber(shown)} of ${total} ${plural(this.totalCapped ? 2 : this.total)}`;
      } else {
        this.el.summary.textContent = `Showing ${formatNumber(shown)} ${plural(shown)}${this.cursor ? " · more available" : ""}`;
      }
    }
    const status = this.state?.status || defaultStatus(this.admin);
    const statusText = status === "any" ? "Every status" : `${capitalize(status)} only`;
    this.el.order.textContent = `${statusText} · ${sortLabel(this.state?.sort || "price_asc")}`;
  }

  // ------------------------------------------------------------ keeping the list true to its filters

  /** Where a pet goes in the list shown (after the last one shown when it sorts beyond them). */
  #position(pet) {
    const compare = compareFor(this.filters?.sort);
    const ordered = [...this.pets.values()].filter((p) => p.id !== pet.id);
    const index = ordered.findIndex((p) => compare(pet, p) < 0);
    return index >= 0 ? index : ordered.length;
  }

  #place(pet) {
    this.el.grid.querySelector(`[data-pet-id="${CSS.escape(pet.id)}"]`)?.remove();
    this.pets.delete(pet.id);
    const index = this.#position(pet);
    const entries = [...this.pets.entries()];
    entries.splice(index, 0, [pet.id, pet]);
    this.pets = new Map(entries);
    const card = this.card(pet);
    const before = this.el.grid.children[index] || null;
    this.el.grid.insertBefore(card, before);
    return card;
  }

  /** After a save: show the pet where it belongs, or say why it isn't listed. Returns true when focus moved. */
  onSaved(pet, { created = false, refreshOnly = false } = {}) {
    this.noteTypes([pet]);
    const listed = this.pets.has(pet.id);
    const fits = matches(pet, this.filters);
    if (refreshOnly) {
      if (listed && fits) this.#place(pet);
      return false;
    }
    if (created) {
      if (!fits) {
        this.updateSummary();
        this.toast(`${pet.name} was added. It doesn't match the current filters, so it isn't listed here.`, {
          action: { text: `View ${pet.name}`, onClick: () => this.openPet(pet, this.el.add) },
        });
        return false;
      }
      if (this.total != null && !this.totalCapped) this.total += 1;
      const card = this.#place(pet);
      this.updateSummary();
      this.toast(`${pet.name} was added to the store.`);
      card.scrollIntoView({ block: "center" });
      card.querySelector(".pet-name").focus({ preventScroll: true });
      return true;
    }
    if (!listed) return false;
    if (fits) {
      this.#place(pet);
      return false;
    }
    const next = this.#neighbour(pet.id);
    this.#remove(pet.id);
    this.toast(`Saved changes to ${pet.name}. It no longer matches the current filters, so it left this list.`);
    this.#focusAfterRemoval(next);
    return true;
  }

  /** After a delete: take the card out and put focus on its neighbour. */
  onDeleted(pet, opener, { quiet = false } = {}) {
    if (!this.pets.has(pet.id)) {
      if (opener && opener.isConnected && opener.offsetParent !== null) opener.focus();
      return;
    }
    const next = this.#neighbour(pet.id);
    this.#remove(pet.id);
    if (!quiet) this.#focusAfterRemoval(next);
  }

  /** A pet was reserved, its reservation ended, or it was adopted (in its details): its card follows, quietly (the
   * details stay open), and leaves the list when it no longer fits the filters (an available-only list). */
  onReservationChanged(pet) {
    if (!this.pets.has(pet.id)) {
      if (this.filters && matches(pet, this.filters)) this.markStale(); // back in the list: counts and order too
      return;
    }
    if (matches(pet, this.filters)) this.#place(pet);
    else this.#remove(pet.id);
  }

  /** The list no longer tells the truth (a pet came back elsewhere on the page): load it again when next shown. */
  markStale() {
    this.loadedKey = null;
  }

  /** The pet is gone (a 404 seen elsewhere). */
  noteGone(id) {
    if (this.pets.has(id)) this.#remove(id);
  }

  #neighbour(id) {
    const ids = [...this.pets.keys()];
    const at = ids.indexOf(id);
    return ids[at + 1] || ids[at - 1] || null;
  }

  #remove(id) {
    this.pets.delete(id);
    this.el.grid.querySelector(`[data-pet-id="${CSS.escape(id)}"]`)?.remove();
    if (this.total != null && !this.totalCapped && this.total > 0) this.total -= 1;
    this.updateSummary();
  }

  #focusAfterRemoval(nextId) {
    const target = (nextId && this.#cardButton(nextId)) || this.el.summary;
    target.focus();
  }
}
