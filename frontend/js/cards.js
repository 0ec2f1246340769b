// Pet cards, details and filter chips, shared by Browse and the conversation.
import { capitalize, formatAge, formatDate, formatNumber, formatPrice, h, icon, pluralType, typeHue } from "./dom.js";
import { reservationOf, reservationText, statusNow } from "./reserving.js";

const STATUS_LABEL = { available: "Available", pending: "Pending", adopted: "Adopted" };
const GOOD_WITH = { children: "children", dogs: "dogs", cats: "cats" };
const GOOD_WITH_SHORT = { children: "Kids", dogs: "Dogs", cats: "Cats" };

export function statusBadge(status, reservation = null) {
  if (reservation) return h("span", { class: "status status-pending status-reserved" }, reservation.mine ? "Reserved for you" : "Reserved");
  return h("span", { class: `status status-${STATUS_LABEL[status] ? status : "other"}` }, STATUS_LABEL[status] || capitalize(status));
}

/** A photo's URL when it is one the page may show (http or https), else null. */
export function photoUrl(photo) {
  if (!photo || typeof photo.url !== "string") return null;
  try {
    const url = new URL(photo.url, window.location.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** An <img> of a photo: lazy, sized (the box is kept before it loads), with its text alternative. */
export function photoImage(photo, pet, { lazy = true, cls = "pet-photo-img" } = {}) {
  const src = photoUrl(photo);
  if (!src) return null;
  return h("img", {
    class: cls, src, alt: photo.alt || pet.name || "", decoding: "async", loading: lazy ? "lazy" : "eager",
    width: String(photo.width || 4), height: String(photo.height || 3),
  });
}

/** The pet's first photo, or the paw placeholder when it has none. */
export function petPicture(pet, size = "md") {
  const photo = Array.isArray(pet.photos) ? pet.photos[0] : null;
  const image = photo ? photoImage(photo, pet) : null;
  if (!image) return petArt(pet, size);
  return h("div", { class: `pet-art pet-photo pet-art-${size}`, style: { "--hue": typeHue(pet.type) } },
    image,
    h("span", { class: "pet-art-type", "aria-hidden": "true" }, pet.type || ""));
}

export function petArt(pet, size = "md") {
  return h("div", { class: `pet-art pet-art-${size}`, style: { "--hue": typeHue(pet.type) }, "aria-hidden": "true" },
    icon("paw", { size: size === "lg" ? 56 : 40, cls: "pet-art-icon" }),
    h("span", { class: "pet-art-type" }, pet.type || ""));
}

export function ageText(pet) {
  return pet.age === 0 ? "Newborn" : `${formatAge(pet.age)} old`;
}

/** "Female · Large": what is known of the pet's sex and size (null when neither is). */
export function traitsText(pet) {
  const parts = [pet.sex, pet.size].filter((v) => typeof v === "string" && v).map(capitalize);
  return parts.length ? parts.join(" · ") : null;
}

/** Whom the pet gets on with, as small tags (known answers only): "✓ Kids", "✗ Cats"; read as "good with kids". */
export function goodWithTags(goodWith) {
  if (!goodWith || typeof goodWith !== "object") return null;
  const known = Object.keys(GOOD_WITH).filter((k) => goodWith[k] === true || goodWith[k] === false);
  if (!known.length) return null;
  return h("ul", { class: "pet-good-with" }, known.map((k) => {
    const yes = goodWith[k] === true;
    return h("li", { class: `trait ${yes ? "trait-yes" : "trait-no"}` },
      h("span", { "aria-hidden": "true" }, yes ? "✓" : "✗"),
      h("span", { class: "sr-only" }, yes ? "Good with " : "Not good with "),
      GOOD_WITH_SHORT[k]);
  }));
}

/**
 * A pet as a list item. `onOpen(pet, button)` shows details; with `admin`, `onEdit` and `onDelete` add staff
 * controls. `headingLevel` keeps the page's outline in order (3 under a section's h2, 4 inside an answer).
 * `viewer` ({email, isAdmin}) says whose reservation it is; `extra` is more content at the card's end.
 */
export function petCard(pet, { onOpen, admin = false, onEdit = null, onDelete = null, compact = false, headingLevel = 3,
  viewer = null, extra = null } = {}) {
  const name = h("button", { type: "button", class: "pet-name", onclick: (event) => onOpen?.(pet, event.currentTarget) }, pet.name);
  const subtitle = [pet.breed, capitalize(pet.type)].filter(Boolean).join(" · ");
  const reservation = reservationOf(pet, viewer || { isAdmin: admin });
  const held = reservation && (reservation.mine || (admin && reservation.holder));
  return h("li", { class: `pet-card${compact ? " compact" : ""}`, dataset: { petId: pet.id } },
    petPicture(pet),
    h("div", { class: "pet-body" },
      h(`h${headingLevel}`, { class: "pet-title" }, name),
      h("p", { class: "pet-sub" }, subtitle),
      h("p", { class: "pet-age" }, ageText(pet)),
      traitsText(pet) ? h("p", { class: "pet-traits" }, traitsText(pet)) : null,
      goodWithTags(pet.good_with),
      held ? h("p", { class: "pet-reservation" }, icon("clock", { size: 14 }), reservationText(reservation, viewer || { isAdmin: admin })) : null,
      h("div", { class: "pet-foot" },
        h("span", { class: "price" }, formatPrice(pet.price)),
        statusBadge(statusNow(pet), reservation)),
      extra,
      admin && onEdit && onDelete ? h("div", { class: "pet-actions" },
        h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": `Edit ${pet.name}`, onclick: () => onEdit(pet) },
          icon("edit", { size: 16 }), "Edit"),
        h("button", { type: "button", class: "btn btn-ghost btn-small btn-danger-text", "aria-label": `Delete ${pet.name}`, onclick: () => onDelete(pet) },
          icon("trash", { size: 16 }), "Delete")) : null));
}

/** The pet's other photos, small, below the first. */
function morePhotos(pet) {
  const rest = (Array.isArray(pet.photos) ? pet.photos.slice(1) : []).map((photo) => photoImage(photo, pet, { cls: "thumb" }))
    .filter(Boolean);
  if (!rest.length) return null;
  return h("ul", { class: "thumbs", "aria-label": `More photos of ${pet.name}` }, rest.map((image) => h("li", {}, image)));
}

function yesNoUnknown(value) {
  if (value === true) return "Yes";
  if (value === false) return "No";
  return "Not known";
}

/**
 * The contents of the details dialog. Elements carry data-focus keys so a refresh can keep focus in place.
 * `actions` are more buttons (reserving), `notice` an element shown above the facts.
 */
export function petDetails(pet, { admin = false, onEdit = null, onDelete = null, onClose, onCopyLink, viewer = null,
  actions = [], notice = null }) {
  const reservation = reservationOf(pet, viewer || { isAdmin: admin });
  const status = statusNow(pet);
  const facts = [
    ["Type", capitalize(pet.type)],
    ["Breed", pet.breed || "Not specified"],
    ["Age", formatAge(pet.age)],
    ["Price", formatPrice(pet.price)],
    ["Status", reservation ? reservationText(reservation, viewer || { isAdmin: admin }) : STATUS_LABEL[status] || status],
  ];
  facts.push(["Sex", pet.sex ? capitalize(pet.sex) : "Not known"], ["Size", pet.size ? capitalize(pet.size) : "Not known"]);
  for (const member of Object.keys(GOOD_WITH)) {
    facts.push([`Good with ${GOOD_WITH[member]}`, yesNoUnknown(pet.good_with?.[member])]);
  }
  facts.push(["In the store since", formatDate(pet.created_at)], ["Last updated", formatDate(pet.updated_at)]);
  if (admin) facts.push(["Version", String(pet.version)], ["Id", pet.id]);
  return [
    h("div", { class: "dialog-head" },
      h("h2", { id: "pet-dialog-title" }, pet.name),
      h("button", { type: "button", class: "icon-btn", "aria-label": "Close", dataset: { focus: "close" }, onclick: onClose }, icon("close"))),
    h("div", { class: "details" },
      h("div", { class: "details-pictures" },
        petPicture(pet, "lg"),
        morePhotos(pet)),
      h("div", {},
        notice,
        pet.description ? h("p", { class: "description" }, pet.description) : null,
        h("dl", { class: "facts" }, facts.map(([term, value]) => h("div", { class: "fact" }, h("dt", {}, term), h("dd", {}, value)))))),
    h("div", { class: "dialog-actions" },
      h("button", { type: "button", class: "btn btn-ghost", dataset: { focus: "link" }, onclick: () => onCopyLink(pet) }, icon("link", { size: 16 }), "Copy link"),
      actions,
      admin ? h("button", { type: "button", class: "btn btn-ghost btn-danger-text", dataset: { focus: "delete" }, onclick: () => onDelete(pet) }, icon("trash", { size: 16 }), "Delete") : null,
      admin ? h("button", { type: "button", class: "btn btn-primary", dataset: { focus: "edit" }, onclick: () => onEdit(pet) }, icon("edit", { size: 16 }), "Edit") : null),
  ];
}

// ---------------------------------------------------------------- filters in words

const SORT_LABEL = {
  price_asc: "cheapest first",
  price_desc: "most expensive first",
  age_asc: "youngest first",
  age_desc: "oldest first",
};

/** How the API lists pets when a search names no order. */
export const NAME_ORDER = "by name, A to Z";

export function sortLabel(sort) {
  return SORT_LABEL[sort] || sort;
}

const years = (n) => {
  if (n > 0 && n < 1) {
    const months = Math.round(n * 12 * 10) / 10;
    return `${formatNumber(months)} month${months === 1 ? "" : "s"}`;
  }
  return `${formatNumber(n)} yr${n === 1 ? "" : "s"}`;
};

function range(lo, hi, loStrict, hiStrict, fmt) {
  if (lo != null && hi != null) {
    if (lo === hi && !loStrict && !hiStrict) return fmt(lo);
    return `${loStrict ? "over " : ""}${fmt(lo)} – ${hiStrict ? "under " : ""}${fmt(hi)}`;
  }
  if (hi != null) return `${hiStrict ? "<" : "≤"} ${fmt(hi)}`;
  return `${loStrict ? ">" : "≥"} ${fmt(lo)}`;
}

function goodWithChips(f) {
  const chips = [];
  for (const key of Object.keys(GOOD_WITH)) {
    const value = f[`good_with_${key}`];
    if (value === true || value === false) {
      chips.push({ key: `good_with_${key}`, label: "Good with", value: `${value ? "" : "not "}${GOOD_WITH[key]}` });
    }
  }
  return chips;
}

/** [{key, label, value}] for the filter a query applied. */
export function filterChips(filters) {
  const f = filters || {};
  const chips = [];
  for (const type of f.type || []) chips.push({ key: "type", label: "Type", value: type });
  if (f.breed) chips.push({ key: "breed", label: "Breed", value: f.breed });
  if (f.min_price != null || f.max_price != null) {
    chips.push({ key: "price", label: "Price", value: range(f.min_price, f.max_price, f.min_price_strict, f.max_price_strict, formatPrice) });
  }
  if (f.min_age != null || f.max_age != null) {
    chips.push({ key: "age", label: "Age", value: range(f.min_age, f.max_age, f.min_age_strict, f.max_age_strict, years) });
  }
  if (f.sex) chips.push({ key: "sex", label: "Sex", value: f.sex });
  if (f.size) chips.push({ key: "size", label: "Size", value: f.size });
  chips.push(...goodWithChips(f));
  if (f.status) chips.push({ key: "status", label: "Status", value: f.status });
  if (f.sort) chips.push({ key: "sort", label: "Sort", value: sortLabel(f.sort) });
  if (f.limit != null) chips.push({ key: "limit", label: "Limit", value: `${formatNumber(f.limit)} pet${f.limit === 1 ? "" : "s"}` });
  return chips;
}

/** The filter a query applied, as chips; always with the order the pets come in (by name when it names none). */
export function chipList(filters) {
  const chips = filterChips(filters);
  const chip = (c) => h("li", { class: `chip chip-${c.key.replace(/_/g, "-")}` }, h("span", { class: "chip-label" }, `${c.label}:`), " ", c.value);
  return h("ul", { class: "chips", "aria-label": "Filters applied" },
    chips.length ? null : h("li", { class: "chip chip-muted" }, "No filter: every pet"),
    chips.map(chip),
    filters?.sort ? null : chip({ key: "sort", label: "Order", value: NAME_ORDER }));
}

/** One filter field in words, as kept from an earlier question: "under $500", "dogs", "youngest first". */
export function describeField(field, filters) {
  const f = filters || {};
  switch (field) {
    case "type": return (f.type || []).map(pluralType).join(" and ") || null;
    case "breed": return f.breed || null;
    case "min_price": return f.min_price == null ? null : `${f.min_price_strict ? "over" : "from"} ${formatPrice(f.min_price)}`;
    case "max_price": return f.max_price == null ? null : `${f.max_price_strict ? "under" : "up to"} ${formatPrice(f.max_price)}`;
    case "min_age": return f.min_age == null ? null : `${f.min_age_strict ? "older than" : "at least"} ${years(f.min_age)}`;
    case "max_age": return f.max_age == null ? null : `${f.max_age_strict ? "younger than" : "at most"} ${years(f.max_age)}`;
    case "status": return f.status ? `${f.status} pets` : null;
    case "sort": return f.sort ? sortLabel(f.sort) : null;
    case "limit": return f.limit == null ? null : `at most ${formatNumber(f.limit)}`;
    case "sex": return f.sex || null;
    case "size": return f.size || null;
    default: {
      const good = field.match(/^good_with_(children|dogs|cats)$/);
      if (good && (f[field] === true || f[field] === false)) return `${f[field] ? "good" : "not good"} with ${GOOD_WITH[good[1]]}`;
      return field.replace(/_/g, " ");
    }
  }
}
