// A pet's photos in the staff's edit form: the photos it has (each can be removed) and files being added. Adding a
// photo: an upload form from the API, the file sent with it, then the pet read again until the photo shows up (the
// store checks each file first; a file it refuses never appears).
import { ApiError, sendUploadForm } from "./api.js";
import { photoImage } from "./cards.js";
import { h, replace } from "./dom.js";

export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTOS = 8;
const WAIT_MS = [300, 500, 800, 1000, 1500, 2000, 2000, 3000, 3000, 4000, 5000]; // about 23 s in all

/** Why a file can't be a photo, before anything is sent; null when it can be tried. */
export function fileProblem(file) {
  if (!PHOTO_TYPES.includes(file.type)) return `${file.name} is not a JPEG, PNG or WebP image.`;
  if (file.size > MAX_PHOTO_BYTES) return `${file.name} is larger than 5 MB.`;
  if (file.size === 0) return `${file.name} is empty.`;
  return null;
}

const sleep = (ms) => new Promise((resolve) => { window.setTimeout(resolve, ms); });

export class PhotoEditor {
  /**
   * onPet(pet): the pet as it is after a photo was added or removed (its version and photos changed).
   * toast(text): a short message for everyone on the page.
   */
  constructor({ api, toast, onPet }) {
    this.api = api;
    this.toast = toast;
    this.onPet = onPet;
    this.pet = null;
    this.pending = new Set();
    this.session = 0;
    const $ = (id) => document.getElementById(id);
    this.el = { box: $("e-photos"), later: $("e-photos-later"), list: $("e-photo-list"), uploads: $("e-photo-uploads"),
      input: $("e-photo-files"), count: $("e-photos-count") };
    this.el.input.addEventListener("change", () => {
      const files = [...this.el.input.files];
      this.el.input.value = "";
      this.add(files);
    });
  }

  /** Show the photos of `pet` (null: a pet not saved yet, which can't have photos). */
  show(pet) {
    this.session += 1;
    this.pending.clear();
    this.pet = pet;
    this.el.box.hidden = !pet;
    this.el.later.hidden = Boolean(pet);
    replace(this.el.uploads);
    if (pet) this.#render();
  }

  /** Resolves once no photo is being added or removed (a save then carries the pet's latest version). */
  async settled() {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  #render() {
    const pet = this.pet;
    const photos = Array.isArray(pet.photos) ? pet.photos : [];
    this.el.count.textContent = photos.length ? `${photos.length} of ${MAX_PHOTOS}` : "None yet";
    this.el.input.disabled = photos.length >= MAX_PHOTOS;
    replace(this.el.list, photos.map((photo, index) => h("li", { class: "photo-item", dataset: { photoId: photo.id } },
      photoImage(photo, pet, { cls: "photo-thumb" }),
      h("span", { class: "photo-alt small" }, index === 0 ? `${photo.alt} (shown on the card)` : photo.alt),
      h("button", {
        type: "button", class: "btn btn-ghost btn-small btn-danger-text",
        "aria-label": `Remove photo ${index + 1} of ${pet.name}`, onclick: (event) => this.remove(photo, event.currentTarget),
      }, "Remove"))));
  }

  #status(text, kind = "") {
    const item = h("li", { class: `upload-item ${kind}`.trim(), role: kind === "error" ? "alert" : null }, text);
    this.el.uploads.append(item);
    return item;
  }

  #track(promise) {
    this.pending.add(promise);
    promise.finally(() => this.pending.delete(promise));
    return promise;
  }

  /** Add files as photos of the pet shown, one after another. */
  add(files) {
    const session = this.session;
    return this.#track((async () => {
      for (const file of files) {
        if (session !== this.session) return;
        const problem = fileProblem(file);
        if (problem) {
          this.#status(problem, "error");
          continue;
        }
        await this.#addOne(file, session);
      }
    })());
  }

  async #addOne(file, session) {
    const pet = this.pet;
    const item = this.#status(`${file.name}: uploading…`);
    try {
      const { photo, upload } = await this.api.startPhotoUpload(pet.id, file.type);
      await sendUploadForm(upload, file);
      item.textContent = `${file.name}: checking…`;
      const fresh = await this.#waitFor(pet.id, photo.id);
      if (!fresh) {
        item.textContent = `${file.name} was not accepted: it must be a real JPEG, PNG or WebP image of at most 5 MB.`;
        item.className = "upload-item error";
        item.setAttribute("role", "alert");
        return;
      }
      if (session !== this.session) {
        this.onPet?.(fresh); // the form was closed meanwhile: the lists still show the new photo
        return;
      }
      item.textContent = `${file.name}: added.`;
      item.className = "upload-item done";
      this.pet = fresh;
      this.#render();
      this.onPet?.(fresh);
    } catch (error) {
      if (session !== this.session) return;
      item.textContent = `${file.name}: ${error instanceof ApiError ? error.message : "could not be added."}`;
      item.className = "upload-item error";
      item.setAttribute("role", "alert");
    }
  }

  /** The pet once it shows the photo; null when it never does (the file was refused). */
  async #waitFor(petId, photoId) {
    for (const wait of WAIT_MS) {
      await sleep(wait);
      const pet = await this.api.getPet(petId);
      if ((pet.photos || []).some((photo) => photo.id === photoId)) return pet;
    }
    return null;
  }

  remove(photo, button) {
    const pet = this.pet;
    const session = this.session;
    button.disabled = true;
    return this.#track((async () => {
      try {
        await this.api.deletePhoto(pet.id, photo.id);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) {
          button.disabled = false;
          this.#status(error.message || "The photo could not be removed.", "error");
          return;
        }
      }
      const fresh = await this.api.getPet(pet.id);
      if (session !== this.session) return;
      this.pet = fresh;
      this.#render();
      this.el.input.focus();
      this.toast("Photo removed.");
      this.onPet?.(fresh);
    })());
  }
}
