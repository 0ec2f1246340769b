// The page's state lives in the URL's fragment, so a reload restores it, Back and Forward move through it and
// any view can be linked to:
//   #/browse?type=cat&max_price=300&sort=age_asc     Browse with filters (defaults are left out)
//   #/ask?q=dogs+under+600&q=what+about+cats%3F       the conversation: its questions, in order
//   #/reservations                                   My reservations
//   #/inventory                                      the store's counts (staff)
//   …&pet=<id>                                       a pet's details open over either view
//   #/pets/<id>                                      a pet's own link (Browse behind it)
// The fragment never reaches a server, so any static host serves the page for every state.

const VIEWS = new Set(["browse", "ask", "reservations", "inventory"]);

/** {view, params: URLSearchParams, pet} from a fragment such as "#/browse?type=cat&pet=…". */
export function parseHash(hash) {
  const raw = String(hash || "").replace(/^#/, "");
  const petLink = raw.match(/^\/?pets\/([^/?#]+)\/?$/);
  if (petLink) return { view: "browse", params: new URLSearchParams(), pet: safeDecode(petLink[1]) };
  const cut = raw.indexOf("?");
  const path = (cut < 0 ? raw : raw.slice(0, cut)).replace(/^\/+|\/+$/g, "");
  const params = new URLSearchParams(cut < 0 ? "" : raw.slice(cut + 1));
  const pet = params.get("pet") || null;
  params.delete("pet");
  return { view: VIEWS.has(path) ? path : "browse", params, pet };
}

export function hashFor({ view = "browse", params = null, pet = null }) {
  const query = new URLSearchParams(params || undefined);
  query.delete("pet");
  if (pet) query.set("pet", pet);
  const text = query.toString();
  return `#/${VIEWS.has(view) ? view : "browse"}${text ? `?${text}` : ""}`;
}

/** The canonical link to one pet, for sharing. */
export function petLink(id) {
  return `${window.location.origin}${window.location.pathname}#/pets/${encodeURIComponent(id)}`;
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export class Router {
  /** onNavigate(state) runs when the user moves through history (Back, Forward, an edited or followed link). */
  constructor(onNavigate) {
    this.onNavigate = onNavigate;
    window.addEventListener("popstate", () => this.onNavigate(this.current()));
  }

  current() {
    return parseHash(window.location.hash);
  }

  /** A new history entry (no-op when the URL would not change). `petOpened` marks an entry that opened a pet. */
  push(state) {
    const hash = hashFor(state);
    if (hash === window.location.hash) return false;
    window.history.pushState({ petstore: true, petOpened: Boolean(state.pet) }, "", hash);
    return true;
  }

  replace(state) {
    const hash = hashFor(state);
    const keep = window.history.state && window.history.state.petOpened && state.pet;
    window.history.replaceState({ petstore: true, petOpened: Boolean(keep) }, "", hash);
  }

  /** Was the current entry pushed by opening the pet shown in it? Then Back is how its dialog closes. */
  get openedByPush() {
    return Boolean(window.history.state && window.history.state.petOpened);
  }

  /** Drop the state from the URL (after signing out). */
  clear() {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
}
