// Small DOM helpers. Everything the page shows is built with DOM APIs and text nodes:
// data from the API or the user never goes through innerHTML.

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * h("button", {class: "btn", onclick: fn, "aria-label": "Close"}, "text", child, ...)
 * Strings become text nodes; null/false children are skipped; arrays are flattened.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "style") {
      // Through the CSSOM: a style="" attribute would need 'unsafe-inline' in the page's CSP.
      for (const [name, v] of Object.entries(value)) el.style.setProperty(name, String(v));
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key === "text") {
      el.textContent = value;
    } else if (key in el && typeof value !== "string") {
      el[key] = value;
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replace all children of `el` with `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// Icons: fixed path data written here, never data from outside.
const ICONS = {
  paw: [
    "M12 13.5c-2.6 0-5.5 2.6-5.5 5 0 1.4 1.1 2 2.4 2 1.4 0 2-.8 3.1-.8s1.7.8 3.1.8c1.3 0 2.4-.6 2.4-2 0-2.4-2.9-5-5.5-5z",
    "M6.2 12.2c1.2-.3 1.8-1.9 1.3-3.5S5.7 6.2 4.5 6.5 2.7 8.4 3.2 10s1.8 2.5 3 2.2z",
    "M17.8 12.2c1.2.3 2.5-.6 3-2.2s-.1-3.2-1.3-3.5-2.5.6-3 2.2.1 3.2 1.3 3.5z",
    "M9.6 8.6c1.4 0 2.3-1.5 2.1-3.3S10.2 2 8.8 2.2 6.6 3.9 6.9 5.7s1.4 2.9 2.7 2.9z",
    "M14.4 8.6c1.3 0 2.4-1.1 2.7-2.9s-.7-3.4-2-3.5-2.6 1.3-2.9 3.1.8 3.3 2.2 3.3z",
  ],
  search: ["M10.5 3a7.5 7.5 0 015.9 12.1l4.3 4.3-1.4 1.4-4.3-4.3A7.5 7.5 0 1110.5 3zm0 2a5.5 5.5 0 100 11 5.5 5.5 0 000-11z"],
  sparkle: ["M12 2l1.9 5.6L19.5 9.5l-5.6 1.9L12 17l-1.9-5.6L4.5 9.5l5.6-1.9L12 2zM19 14l.9 2.6 2.6.9-2.6.9L19 21l-.9-2.6-2.6-.9 2.6-.9L19 14z"],
  plus: ["M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z"],
  edit: ["M15.2 3.8a2.5 2.5 0 013.5 0l1.5 1.5a2.5 2.5 0 010 3.5L9.5 19.5 4 20.5l1-5.5L15.2 3.8zm-.4 3.2L6.8 15l-.4 2.6 2.6-.4 8-8-2.2-2.2z"],
  trash: ["M9 3h6l1 2h4v2H4V5h4l1-2zm-3 6h12l-1 12H7L6 9zm4 2v8h1.5v-8H10zm3.5 0v8H15v-8h-1.5z"],
  send: ["M3 20.5l18-8.5L3 3.5v6.6l12 1.9-12 1.9z"],
  refresh: ["M12 4a8 8 0 017.4 5H17v2h6V5h-2v2.3A10 10 0 002 12h2a8 8 0 018-8zm8 8a8 8 0 01-14.8 4H8v-2H2v6h2v-2.3A10 10 0 0022 12h-2z"],
  close: ["M6.4 5L12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4L12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z"],
  user: ["M12 12a4.5 4.5 0 100-9 4.5 4.5 0 000 9zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5z"],
  shield: ["M12 2l8 3v6c0 5-3.4 9.5-8 11-4.6-1.5-8-6-8-11V5l8-3zm-1 13.6l6-6-1.4-1.4-4.6 4.6-2.1-2.1L7.5 12l3.5 3.6z"],
  filter: ["M3 5h18v2l-7 7v5l-4 2v-7L3 7z"],
  link: ["M10.6 14.8l-1.4-1.4 4.2-4.2 1.4 1.4-4.2 4.2zM8.5 16.9a2.5 2.5 0 01-3.5-3.5l2.8-2.8-1.4-1.4-2.8 2.8a4.5 4.5 0 006.4 6.4l2.8-2.8-1.4-1.4-2.9 2.7zM15.5 7.1a2.5 2.5 0 013.5 3.5l-2.8 2.8 1.4 1.4 2.8-2.8a4.5 4.5 0 00-6.4-6.4l-2.8 2.8 1.4 1.4 2.9-2.7z"],
  info: ["M12 2a10 10 0 110 20 10 10 0 010-20zm-1 8v7h2v-7h-2zm0-3v2h2V7h-2z"],
  clock: ["M12 2a10 10 0 110 20 10 10 0 010-20zm0 2a8 8 0 100 16 8 8 0 000-16zm-1 3h2v5.4l3.7 2.2-1 1.7L11 13.6V7z"],
  heart: ["M12 21l-1.5-1.3C5.4 15.1 2 12.1 2 8.4 2 5.4 4.4 3 7.4 3c1.7 0 3.4.8 4.6 2.1C13.2 3.8 14.9 3 16.6 3 19.6 3 22 5.4 22 8.4c0 3.7-3.4 6.7-8.5 11.3L12 21z"],
};

export function icon(name, { size = 20, label = null, cls = "icon" } = {}) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", String(size));
  svg.setAttribute("height", String(size));
  svg.setAttribute("class", cls);
  svg.setAttribute("fill", "currentColor");
  if (label) {
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
  } else {
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
  }
  for (const d of ICONS[name] || ICONS.paw) {
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

// ---------------------------------------------------------------- formatting

const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 2 });
const plainNumber = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

export function formatPrice(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  const text = money.format(value);
  return text.endsWith(".00") ? text.slice(0, -3) : text;
}

export function formatNumber(value) {
  return plainNumber.format(value);
}

export function formatAge(years) {
  if (typeof years !== "number" || !Number.isFinite(years)) return "—";
  if (years < 1) {
    const months = Math.max(1, Math.round(years * 12));
    return years === 0 ? "newborn" : `${months} month${months === 1 ? "" : "s"}`;
  }
  const rounded = Math.round(years * 10) / 10;
  return `${formatNumber(rounded)} year${rounded === 1 ? "" : "s"}`;
}

/** An age in years as people type it: months under a year (0.25 → 3 months), years from one year up. */
export function ageForInput(years) {
  if (typeof years !== "number" || !Number.isFinite(years)) return { value: "", unit: "years" };
  if (years > 0 && years < 1) {
    // 8 months is stored as 0.67 years: show the whole number of months that is stored that way, not 8.04.
    const months = Math.round(years * 12);
    const whole = Math.round((months / 12) * 100) / 100 === years;
    return { value: String(whole ? months : Math.round(years * 12 * 100) / 100), unit: "months" };
  }
  return { value: String(years), unit: "years" };
}

/** Years (at most 2 decimals, as the API takes them) from a number typed in months or years. */
export function yearsFrom(value, unit) {
  const years = unit === "months" ? value / 12 : value;
  return Math.round(years * 100) / 100;
}

/** "3 months", "2 years" for a bound given in years, in the unit the person chose. */
export function formatAgeBound(years, unit = "years") {
  if (unit === "months") {
    const months = Math.round(years * 12 * 100) / 100;
    return `${formatNumber(months)} month${months === 1 ? "" : "s"}`;
  }
  return `${formatNumber(years)} year${years === 1 ? "" : "s"}`;
}

export function formatDate(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function capitalize(text) {
  const s = String(text ?? "");
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

const TYPE_PLURALS = { fish: "fish", puppy: "puppies", bunny: "bunnies" };
export function pluralType(type) {
  const t = String(type || "").toLowerCase();
  if (TYPE_PLURALS[t]) return TYPE_PLURALS[t];
  if (/(s|x|z|ch|sh)$/.test(t)) return `${t}es`;
  return `${t}s`;
}

/** A stable pastel hue per pet type, so cards of one kind look alike. */
export function typeHue(type) {
  const known = { dog: 28, cat: 265, bird: 190, rabbit: 330, fish: 205, hamster: 40, reptile: 130 };
  const t = String(type || "").toLowerCase();
  if (t in known) return known[t];
  let hash = 0;
  for (const ch of t) hash = (hash * 31 + ch.charCodeAt(0)) % 360;
  return hash;
}

/** Announce text to screen readers through the page's polite live region. */
export function announce(text) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 30);
}

/** A random UUID (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function uuid() {
  if (typeof crypto.randomUUID === "function" && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
