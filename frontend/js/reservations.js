// "My reservations" (#/reservations): the pets the signed-in person holds, the one whose hold ends first first,
// each with a way to cancel it.
import { petCard } from "./cards.js";
import { announce, formatNumber, h, icon, replace } from "./dom.js";
import { isBusy, setBusy } from "./fields.js";

export class Reservations {
  /** openPet(pet, button) shows a pet's details. */
  constructor({ api, auth, toast, openPet, onCancelled }) {
    this.api = api;
    this.onCancelled = onCancelled;
    this.auth = auth;
    this.toast = toast;
    this.openPet = openPet;
    this.pets = [];
    this.loaded = false;
    this.seq = 0;
    const $ = (id) => document.getElementById(id);
    this.el = {
      panel: $("panel-reservations"), grid: $("reservation-grid"), summary: $("reservations-summary"),
      empty: $("reservations-empty"), error: $("reservations-error"), errorText: $("reservations-error-text"),
      retry: $("reservations-retry"),
    };
    this.el.retry.addEventListener("click", () => this.load());
  }

  /** The view was opened (a tab, a link, Back): load it afresh. */
  show() {
    this.load();
  }

  reset() {
    this.seq += 1;
    this.pets = [];
    this.loaded = false;
    replace(this.el.grid);
    this.el.summary.textContent = "My reservations";
    this.el.empty.hidden = true;
    this.el.error.hidden = true;
  }

  /** A pet was reserved, cancelled or adopted elsewhere on the page: keep the list true when it is shown. */
  noteChanged() {
    if (!this.el.panel.hidden) this.load();
    else this.loaded = false;
  }

  async load() {
    const seq = ++this.seq;
    this.el.error.hidden = true;
    this.el.grid.setAttribute("aria-busy", "true");
    if (!this.loaded) {
      this.el.summary.textContent = "Loading your reservations…";
      replace(this.el.grid, Array.from({ length: 2 }, () => h("li", { class: "pet-card skeleton", "aria-hidden": "true" })));
    }
    try {
      const answer = await this.api.myReservations();
      if (seq !== this.seq) return;
      this.pets = Array.isArray(answer?.pets) ? answer.pets : [];
      this.loaded = true;
      this.#render();
    } catch (error) {
      if (seq !== this.seq) return;
      replace(this.el.grid);
      this.loaded = false;
      this.el.summary.textContent = "Couldn't load your reservations";
      this.el.errorText.textContent = error.message || "Something went wrong.";
      this.el.error.hidden = false;
      this.el.empty.hidden = true;
    } finally {
      if (seq === this.seq) this.el.grid.setAttribute("aria-busy", "false");
    }
  }

  #render() {
    replace(this.el.grid, this.pets.map((pet) => this.#card(pet)));
    const n = this.pets.length;
    this.el.summary.textContent = n ? `My reservations (${formatNumber(n)})` : "My reservations";
    if (!n) {
      replace(this.el.empty,
        h("p", { class: "empty-title" }, "You have no reservations."),
        h("p", { class: "muted" }, "Open an available pet and choose “Reserve”: the store holds it for you while you arrange the adoption."));
    }
    this.el.empty.hidden = n > 0;
  }

  #card(pet) {
    const cancel = h("button", {
      type: "button", class: "btn btn-ghost btn-small btn-danger-text", "aria-label": `Cancel reservation of ${pet.name}`,
      onclick: (event) => this.#cancel(pet, event.currentTarget),
    }, icon("close", { size: 16 }), "Cancel reservation");
    return petCard(pet, {
      onOpen: (p, button) => this.openPet(p, button),
      viewer: this.auth,
      admin: this.auth.isAdmin,
      extra: h("div", { class: "pet-actions" }, cancel),
    });
  }

  async #cancel(pet, button) {
    if (isBusy(button)) return;
    setBusy(button, true);
    try {
      await this.api.cancelReservation(pet.id);
      this.onCancelled?.(pet);
      const at = this.pets.findIndex((p) => p.id === pet.id);
      this.pets = this.pets.filter((p) => p.id !== pet.id);
      this.#render();
      const message = `Your reservation is cancelled: ${pet.name} is available again.`;
      this.toast(message);
      announce(message);
      const next = this.pets[Math.min(at, this.pets.length - 1)];
      const target = next && this.el.grid.querySelector(`[data-pet-id="${CSS.escape(next.id)}"] .pet-actions .btn`);
      (target || this.el.summary).focus();
    } catch (error) {
      if (button.isConnected) setBusy(button, false);
      this.toast(error.message || "The reservation could not be cancelled.");
      this.load(); // it may have lapsed or been released meanwhile
    }
  }
}
