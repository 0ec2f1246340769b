// A pet's details in a modal dialog. Its id is in the URL while it is open (so it can be linked to and Back
// closes it); focus goes into the dialog when it opens and back to what opened it when it closes.
import { ApiError } from "./api.js";
import { petDetails } from "./cards.js";
import { h, replace } from "./dom.js";
import { petLink } from "./router.js";

export class Details {
  /**
   * onClosed(petId): the dialog closed (the app takes the pet out of the URL).
   * onEdit(pet) / onDelete(pet): staff actions. onGone(id): the pet no longer exists.
   */
  constructor({ api, auth, toast, onClosed, onEdit, onDelete, onGone, onTitle }) {
    this.api = api;
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
    if (!this.dialog.open) {
      this.quiet = false;
      this.afterClose = null;
    }
    this.petId = petId;
    this.opener = opener || (document.activeElement !== document.body ? document.activeElement : null);
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
      this.#render(fresh);
    } catch (error) {
      if (seq !== this.seq || !this.dialog.open) return;
      if (error instanceof ApiError && error.status === 404) {
        const name = this.pet?.name || "That pet";
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

  #render(pet) {
    // Re-rendering replaces the buttons: keep focus on the same control.
    const focusKey = this.body.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
    this.pet = pet;
    replace(this.body, petDetails(pet, {
      admin: this.auth.isAdmin,
      onClose: () => this.dialog.close(),
      onCopyLink: (p) => this.#copyLink(p),
      onEdit: (p) => { this.afterClose = (opener) => this.onEdit(p, opener); this.dialog.close(); },
      onDelete: (p) => { this.afterClose = (opener) => this.onDelete(p, opener); this.dialog.close(); },
    }));
    if (focusKey) this.body.querySelector(`[data-focus="${focusKey}"]`)?.focus();
    this.onTitle?.(pet.name);
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
    const quiet = this.quiet;
    const after = this.afterClose;
    this.quiet = false;
    this.afterClose = null;
    this.petId = null;
    this.pet = null;
    this.opener = null;
    this.seq += 1;
    if (!quiet) this.onClosed?.(petId);
    // Back to what opened the dialog, or to the card of this pet, or the view's heading.
    const card = document.querySelector(`.panel:not([hidden]) [data-pet-id="${CSS.escape(petId || "")}"] .pet-name`);
    const target = [opener, card].find((el) => el && el.isConnected && el.offsetParent !== null);
    if (after) {
      after(target || null);
      return;
    }
    if (target) target.focus();
    else document.querySelector(".panel:not([hidden]) h2")?.focus();
  }
}
