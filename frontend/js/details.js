// A pet's details in a modal dialog. Its id is in the URL while it is open (so it can be linked to and Back
// closes it); focus goes into the dialog when it opens and back to what opened it when it closes.
import { ApiError } from "./api.js";
import { petDetails } from "./cards.js";
import { announce, h, icon, replace } from "./dom.js";
import { isBusy, setBusy } from "./fields.js";
import { formatUntil, readableTimes, reservationOf, statusNow } from "./reserving.js";
import { petLink } from "./router.js";

export class Details {
  /**
   * onClosed(petId): the dialog closed (the app takes the pet out of the URL).
   * onEdit(pet) / onDelete(pet): staff actions. onGone(id): the pet no longer exists.
   * onReservation(pet): the pet was reserved, its reservation ended, or it was adopted (the lists follow).
   */
  constructor({ api, auth, toast, onClosed, onEdit, onDelete, onGone, onTitle, onReservation }) {
    this.api = api;
    this.onReservation = onReservation;
    this.message = null; // {kind: "ok"|"error", text} about the last reservation action, shown in the dialog
    this.auth = auth;
    this.toast = toast;
    this.onClosed = onClosed;
    this.onEdit = onEdit;
    this.onDelete = onDelete;
    this.onGone = onGone;
    this.onTitle = onTitle;
    this.dialog = document.getElementById("pet-dialog");
    this.body = document.getElementById("pet-dialog-body");
    this.petId = null;
    this.pet = null;
    this.opener = null;
    this.seq = 0;
    this.quiet = false;
    this.afterClose = null;
    this.dialog.addEventListener("close", () => this.#closed());
    this.dialog.addEventListener("click", (event) => {
      if (event.target === this.dialog) this.dialog.close(); // the backdrop
    });
  }

  get open() {
    return this.dialog.open;
  }

  /** Show a pet: from a card (`pet` known, `opener` the button) or from the URL (`id` only). */
  async show({ pet = null, id = null, opener = null }) {
    const petId = pet?.id || id;
    if (!petId) return;
    if (this.dialog.open && this.petId === petId) return;
    const seq = ++this.seq;
    if (this.petId !== petId) this.message = null;
    if (!this.dialog.open) {
      this.quiet = false;
      this.afterClose = null;
      this.message = null;
    }
    this.petId = petId;
    this.opener = opener || (document.activeElement !== document.body ? document.activeElement : null);
    // The list the opener is in: a card drawn again meanwhile (a reservation) is found there, not in another list.
    this.openerList = this.opener?.closest?.("ul") || null;
    if (pet) this.#render(pet);
    else replace(this.body, h("div", { class: "dialog-head" },
      h("h2", { id: "pet-dialog-title" }, "Loading…"),
      h("button", { type: "button", class: "icon-btn", "aria-label": "Close", dataset: { focus: "close" }, onclick: () => this.dialog.close() }, "×")),
    h("p", { class: "muted", role: "status" }, "Fetching the pet's details…"));
    if (!this.dialog.open) this.dialog.showModal();
    this.body.querySelector("[data-focus=close]")?.focus();
    // Show the latest version (someone may have changed it since the list was read).
    try {
      const fresh = await this.api.getPet(petId);
      if (seq !== this.seq || !this.dialog.open) return;
      if (this.pet?.id === petId && fresh.version < this.pet.version) return; // a reservation made meanwhile is newer
      this.#render(fresh);
    } catch (error) {
      if (seq !== this.seq || !this.dialog.open) return;
      if (error instanceof ApiError && error.status === 404) {
        const name = (this.pet?.id === petId && this.pet.name) || (pet?.id === petId && pet.name) || "That pet";
        this.onGone?.(petId);
        this.dialog.close();
        this.toast(`${name} is no longer in the store.`);
      } else if (!this.pet || this.pet.id !== petId) {
        replace(this.body, h("div", { class: "dialog-head" },
          h("h2", { id: "pet-dialog-title" }, "Couldn't load this pet"),
          h("button", { type: "button", class: "icon-btn", "aria-label": "Close", dataset: { focus: "close" }, onclick: () => this.dialog.close() }, "×")),
        h("p", { class: "form-error", role: "alert" }, error.message || "Something went wrong."));
        this.body.querySelector("[data-focus=close]")?.focus();
      }
    }
  }

  /** Close without side effects on the URL (the URL already changed: Back, or a new view). */
  hide() {
    if (this.dialog.open) {
      this.quiet = true;
      this.dialog.close();
    }
  }

  /** Update the pet shown, if it is this one (after an edit). */
  update(pet) {
    if (this.dialog.open && this.petId === pet.id) this.#render(pet);
  }

  #render(pet, focusKeys = []) {
    // Re-rendering replaces the buttons: keep focus on the same control (or the first of `focusKeys` present).
    const current = this.body.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
    this.pet = pet;
    replace(this.body, petDetails(pet, {
      admin: this.auth.isAdmin,
      viewer: this.auth,
      actions: this.#reservationActions(pet),
      notice: this.#notice(pet),
      onClose: () => this.dialog.close(),
      onCopyLink: (p) => this.#copyLink(p),
      onEdit: (p) => { this.afterClose = (opener) => this.onEdit(p, opener); this.dialog.close(); },
      onDelete: (p) => { this.afterClose = (opener) => this.onDelete(p, opener); this.dialog.close(); },
    }));
    for (const key of [...focusKeys, current].filter(Boolean)) {
      const target = this.body.querySelector(`[data-focus="${key}"]`);
      if (target) {
        target.focus();
        break;
      }
    }
    this.onTitle?.(pet.name);
  }

  // ------------------------------------------------------------ reserving

  /** Shoppers reserve an available pet and cancel their own reservation; staff release it and confirm adoptions. */
  #reservationActions(pet) {
    const admin = this.auth.isAdmin;
    const reservation = reservationOf(pet, this.auth);
    const button = (key, label, cls, iconName) => h("button", {
      type: "button", class: `btn ${cls}`, dataset: { focus: key }, onclick: (event) => this.#act(key, pet, event.currentTarget),
    }, icon(iconName, { size: 16 }), label);
    const actions = [];
    if (!admin && statusNow(pet) === "available") actions.push(button("reserve", "Reserve", "btn-primary", "heart"));
    if (reservation?.mine) actions.push(button("cancel", "Cancel reservation", "btn-ghost btn-danger-text", "close"));
    if (admin && reservation && !reservation.mine) actions.push(button("release", "Release reservation", "btn-ghost", "refresh"));
    if (admin && pet.status === "pending") actions.push(button("adopt", "Confirm adoption", "btn-accent", "heart"));
    return actions;
  }

  #notice(pet) {
    const reservation = reservationOf(pet, this.auth);
    const parts = [];
    if (this.message) {
      parts.push(h("p", { class: this.message.kind === "error" ? "form-error" : "form-notice", role: this.message.kind === "error" ? "alert" : "status" },
        this.message.text));
    } else if (reservation?.mine) {
      parts.push(h("p", { class: "form-notice reservation-notice" }, icon("clock", { size: 16 }),
        `${pet.name} is reserved for you until ${formatUntil(reservation.until)}. The store will be in touch to arrange the adoption.`));
    }
    return parts.length ? h("div", { class: "reservation-box" }, parts) : null;
  }

  async #act(kind, pet, button) {
    if (isBusy(button)) return;
    setBusy(button, true);
    this.seq += 1; // what the dialog fetched before this action is older than its answer
    const next = { reserve: ["cancel"], cancel: ["reserve", "close"], release: ["adopt", "close"], adopt: ["close"] }[kind];
    try {
      let changed;
      if (kind === "reserve") changed = await this.api.reservePet(pet.id);
      else if (kind === "adopt") changed = await this.api.confirmAdoption(pet.id, pet.version);
      else {
        await this.api.cancelReservation(pet.id, kind === "release" ? pet.version : null);
        changed = await this.api.getPet(pet.id);
      }
      if (!this.dialog.open || this.petId !== pet.id) return;
      this.message = { kind: "ok", text: this.#said(kind, changed) };
      this.#render(changed, next);
      announce(this.message.text);
      this.onReservation?.(changed);
    } catch (error) {
      if (!this.dialog.open || this.petId !== pet.id) return;
      if (error instanceof ApiError && error.status === 404 && error.code === "NotFound") {
        this.onGone?.(pet.id);
        this.dialog.close();
        this.toast(`${pet.name} is no longer in the store.`);
        return;
      }
      // Someone else got there first, or the pet changed: say so, and show it as it is now.
      this.message = { kind: "error", text: readableTimes(error.message || "Something went wrong.") };
      let fresh = pet;
      try {
        fresh = await this.api.getPet(pet.id);
        this.onReservation?.(fresh);
      } catch {
        // keep showing what we had, with the message
      }
      if (this.dialog.open && this.petId === pet.id) this.#render(fresh, [kind, "close"]);
    } finally {
      if (button.isConnected) setBusy(button, false);
    }
  }

  #said(kind, pet) {
    const reservation = reservationOf(pet, this.auth);
    if (kind === "reserve" && reservation) {
      return `${pet.name} is reserved for you until ${formatUntil(reservation.until)}. Find it under “My reservations”.`;
    }
    if (kind === "cancel") return `Your reservation is cancelled: ${pet.name} is available again.`;
    if (kind === "release") return `The reservation is released: ${pet.name} is available again.`;
    if (kind === "adopt") return `${pet.name} is adopted. Congratulations to the new family!`;
    return `${pet.name} is ${pet.status}.`;
  }

  async #copyLink(pet) {
    const link = petLink(pet.id);
    try {
      await navigator.clipboard.writeText(link);
      this.toast(`Link to ${pet.name} copied.`);
    } catch {
      this.toast(`Link to ${pet.name}: ${link}`);
    }
  }

  #closed() {
    // The close event comes as a task of its own: the dialog may have been opened again meanwhile (Back then
    // Forward): then this close is over already.
    if (this.dialog.open) return;
    const petId = this.petId;
    const opener = this.opener;
    const openerList = this.openerList;
    const quiet = this.quiet;
    const after = this.afterClose;
    this.quiet = false;
    this.afterClose = null;
    this.petId = null;
    this.pet = null;
    this.opener = null;
    this.openerList = null;
    this.seq += 1;
    if (!quiet) this.onClosed?.(petId);
    // Back to what opened the dialog, or to the card of this pet, or the view's heading.
    const selector = `[data-pet-id="${CSS.escape(petId || "")}"] .pet-name`;
    const again = openerList?.isConnected ? openerList.querySelector(selector) : null;
    const card = document.querySelector(`.panel:not([hidden]) ${selector}`);
    const target = [opener, again, card].find((el) => el && el.isConnected && el.offsetParent !== null);
    if (after) {
      after(target || null);
      return;
    }
    if (target) target.focus();
    else document.querySelector(".panel:not([hidden]) h2")?.focus();
  }
}
