// Pet cards, details and filter chips, shared by Browse and the conversation.
import { capitalize, formatAge, formatDate, formatNumber, formatPrice, h, icon, typeHue } from "./dom.js";

const STATUS_LABEL = { available: "Available", pending: "Pending", adopted: "Adopted" };

export function statusBadge(status) {
  return h("span", { class: `status status-${STATUS_LABEL[status] ? status : "other"}` }, STATUS_LABEL[status] || capitalize(status));
}

export function petArt(pet, size = "md") {
  return h("div", { class: `pet-art pet-art-${size}`, style: `--hue: ${typeHue(pet.type)}`, "aria-hidden": "true" },
    icon("paw", { size: size === "lg" ? 56 : 40, cls: "pet-art-icon" }),
    h("span", { class: "pet-art-type" }, pet.type || ""));
}

/**
 * A pet as a list item. `onOpen(pet)` shows details; with `admin`, `onEdit` and `onDelete` add staff controls.
 */
export function petCard(pet, { onOpen, admin = false, onEdit = null, onDelete = null, compact = false } = {}) {
  const name = h("button", { type: "button", class: "pet-name", onclick: () => onOpen?.(pet) }, pet.name);
  const subtitle = [pet.breed, capitalize(pet.type)].filter(Boolean).join(" · ");
  const item = h("li", { class: `pet-card${compact ? " compact" : ""}`, dataset: { petId: pet.id } },
    petArt(pet),
    h("div", { class: "pet-body" },
      h("h3", { class: "pet-title" }, name),
      h("p", { class: "pet-sub" }, subtitle),
      h("p", { class: "pet-age" }, pet.age === 0 ? "Newborn" : `${formatAge(pet.age)} old`),
      h("div", { class: "pet-foot" },
        h("span", { class: "price" }, formatPrice(pet.price)),
        statusBadge(pet.status)),
      admin && onEdit && onDelete ? h("div", { class: "pet-actions" },
        h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": `Edit ${pet.name}`, onclick: () => onEdit(pet) },
          icon("edit", { size: 16 }), "Edit"),
        h("button", { type: "button", class: "btn btn-ghost btn-small btn-danger-text", "aria-label": `Delete ${pet.name}`, onclick: () => onDelete(pet) },
          icon("trash", { size: 16 }), "Delete")) : null));
  return item;
}

/** The contents of the details dialog. */
export function petDetails(pet, { admin = false, onEdit = null, onDelete = null, onClose }) {
  const facts = [
    ["Type", capitalize(pet.type)],
    ["Breed", pet.breed || "Not specified"],
    ["Age", formatAge(pet.age)],
    ["Price", formatPrice(pet.price)],
    ["Status", STATUS_LABEL[pet.status] || pet.status],
    ["In the store since", formatDate(pet.created_at)],
    ["Last updated", formatDate(pet.updated_at)],
  ];
  if (admin) facts.push(["Version", String(pet.version)], ["Id", pet.id]);
  return [
    h("div", { class: "dialog-head" },
      h("h2", { id: "pet-dialog-title" }, pet.name),
      h("button", { type: "button", class: "icon-btn", "aria-label": "Close", onclick: onClose }, icon("close"))),
    h("div", { class: "details" },
      petArt(pet, "lg"),
      h("dl", { class: "facts" }, facts.map(([term, value]) => h("div", { class: "fact" }, h("dt", {}, term), h("dd", {}, value))))),
    admin ? h("div", { class: "dialog-actions" },
      h("button", { type: "button", class: "btn btn-ghost btn-danger-text", onclick: () => onDelete(pet) }, icon("trash", { size: 16 }), "Delete"),
      h("button", { type: "button", class: "btn btn-primary", onclick: () => onEdit(pet) }, icon("edit", { size: 16 }), "Edit")) : null,
  ];
}

const SORT_LABEL = {
  price_asc: "cheapest first",
  price_desc: "most expensive first",
  age_asc: "youngest first",
  age_desc: "oldest first",
};

function range(lo, hi, loStrict, hiStrict, fmt) {
  if (lo != null && hi != null) {
    if (lo === hi && !loStrict && !hiStrict) return fmt(lo);
    return `${loStrict ? "over " : ""}${fmt(lo)} – ${hiStrict ? "under " : ""}${fmt(hi)}`;
  }
  if (hi != null) return `${hiStrict ? "<" : "≤"} ${fmt(hi)}`;
  return `${loStrict ? ">" : "≥"} ${fmt(lo)}`;
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
    const years = (n) => `${formatNumber(n)} yr${n === 1 ? "" : "s"}`;
    chips.push({ key: "age", label: "Age", value: range(f.min_age, f.max_age, f.min_age_strict, f.max_age_strict, years) });
  }
  if (f.status) chips.push({ key: "status", label: "Status", value: f.status });
  if (f.sort) chips.push({ key: "sort", label: "Sort", value: SORT_LABEL[f.sort] || f.sort });
  if (f.limit != null) chips.push({ key: "limit", label: "Limit", value: `${formatNumber(f.limit)} pet${f.limit === 1 ? "" : "s"}` });
  return chips;
}

export function chipList(filters) {
  const chips = filterChips(filters);
  if (!chips.length) {
    return h("ul", { class: "chips", "aria-label": "Filters applied" }, h("li", { class: "chip chip-muted" }, "No filter: every pet"));
  }
  return h("ul", { class: "chips", "aria-label": "Filters applied" },
    chips.map((c) => h("li", { class: `chip chip-${c.key}` }, h("span", { class: "chip-label" }, `${c.label}:`), " ", c.value)));
}
