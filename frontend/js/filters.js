// Browse's filters in three forms: the URL's parameters, the form's fields, and GET /pets's query.
// The URL keeps what the person typed (ages in the unit they chose) and leaves defaults out.
import { yearsFrom } from "./dom.js";

export const DEFAULT_SORT = "price_asc";
export const SORTS = ["price_asc", "price_desc", "age_asc", "age_desc"];
const STATUSES = ["any", "available", "pending", "adopted"];
export const SEXES = ["female", "male"];
export const SIZES = ["small", "medium", "large"];
/** Whom a pet gets on with: the API's `good_with` members, and its filters `good_with_<member>`. */
export const GOOD_WITH = ["children", "dogs", "cats"];
const GOOD_WITH_KEYS = GOOD_WITH.map((member) => `good_with_${member}`);
/** A yes/no filter as the URL and the form keep it: "any", "true" or "false". */
function yesNo(text) {
  const value = String(text || "").toLowerCase();
  if (value === "true" || value === "yes") return "true";
  if (value === "false" || value === "no") return "false";
  return "any";
}

/** Shoppers see the pets they can have; staff see every pet. */
export function defaultStatus(admin) {
  return admin ? "any" : "available";
}

/** The filter state (strings, as in the form) from URL parameters. */
export function stateFromParams(params, admin) {
  const text = (name) => (params.get(name) || "").trim();
  const status = text("status");
  const sort = text("sort");
  const sex = text("sex").toLowerCase();
  const size = text("size").toLowerCase();
  const goodWith = Object.fromEntries(GOOD_WITH_KEYS.map((key) => [key, yesNo(text(key))]));
  return {
    q: text("q").slice(0, 100),
    type: [...new Set(params.getAll("type").map((t) => t.trim().toLowerCase()).filter(Boolean))].slice(0, 20),
    min_price: text("min_price"),
    max_price: text("max_price"),
    min_age: text("min_age"),
    max_age: text("max_age"),
    age_unit: text("age_unit") === "months" ? "months" : "years",
    status: STATUSES.includes(status) ? status : defaultStatus(admin),
    sex: SEXES.includes(sex) ? sex : "any",
    size: SIZES.includes(size) ? size : "any",
    ...goodWith,
    sort: SORTS.includes(sort) ? sort : DEFAULT_SORT,
  };
}

/** URL parameters for a filter state, defaults left out. */
export function paramsFromState(state, admin) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const type of [...state.type].sort()) params.append("type", type);
  for (const key of ["min_price", "max_price", "min_age", "max_age"]) if (state[key]) params.set(key, state[key]);
  if ((state.min_age || state.max_age) && state.age_unit === "months") params.set("age_unit", "months");
  if (state.status !== defaultStatus(admin)) params.set("status", state.status);
  for (const key of ["sex", "size", ...GOOD_WITH_KEYS]) if (state[key] && state[key] !== "any") params.set(key, state[key]);
  if (state.sort !== DEFAULT_SORT) params.set("sort", state.sort);
  return params;
}

/** How many filters differ from the defaults (the badge on the folded filter panel). */
export function activeCount(state, admin) {
  let n = state.type.length + (state.q ? 1 : 0);
  if (state.min_price || state.max_price) n += 1;
  if (state.min_age || state.max_age) n += 1;
  if (state.status !== defaultStatus(admin)) n += 1;
  for (const key of ["sex", "size", ...GOOD_WITH_KEYS]) if (state[key] && state[key] !== "any") n += 1;
  return n;
}

/**
 * Check a filter state; returns {filters, problems}. `filters` is GET /pets's query (null when there are
 * problems); each problem names the fields it is about ("price" or "age" for a range) and says what to fix.
 */
export function validate(state) {
  const problems = [];
  const number = (key, group, what) => {
    const raw = state[key];
    if (raw === "" || raw == null) return null;
    const n = Number(raw);
    if (!Number.isFinite(n)) {
      problems.push({ group, keys: [key], message: `The ${what} must be a number.` });
      return null;
    }
    if (n < 0) {
      problems.push({ group, keys: [key], message: `The ${what} can't be below 0.` });
      return null;
    }
    return n;
  };
  const unit = state.age_unit === "months" ? "months" : "years";
  const minPrice = number("min_price", "price", "minimum price");
  const maxPrice = number("max_price", "price", "maximum price");
  const minAge = number("min_age", "age", "minimum age");
  const maxAge = number("max_age", "age", "maximum age");
  if (minPrice != null && maxPrice != null && minPrice > maxPrice) {
    problems.push({ group: "price", keys: ["min_price", "max_price"], message: "The minimum price is higher than the maximum price." });
  }
  if (minAge != null && maxAge != null && minAge > maxAge) {
    problems.push({ group: "age", keys: ["min_age", "max_age"], message: "The minimum age is higher than the maximum age." });
  }
  if (minPrice != null && minPrice > 1_000_000) problems.push({ group: "price", keys: ["min_price"], message: "Prices go up to $1,000,000." });
  const maxYears = unit === "months" ? 1200 : 100;
  if (minAge != null && minAge > maxYears) problems.push({ group: "age", keys: ["min_age"], message: `Ages go up to ${maxYears} ${unit}.` });
  if (problems.length) return { filters: null, problems };
  const filters = {
    q: state.q || null,
    type: state.type,
    min_price: minPrice,
    max_price: maxPrice,
    min_age: minAge == null ? null : yearsFrom(minAge, unit),
    max_age: maxAge == null ? null : yearsFrom(maxAge, unit),
    status: state.status === "any" ? null : state.status,
    sex: SEXES.includes(state.sex) ? state.sex : null,
    size: SIZES.includes(state.size) ? state.size : null,
    ...Object.fromEntries(GOOD_WITH_KEYS.map((key) => [key, state[key] === "true" ? true : state[key] === "false" ? false : null])),
    sort: state.sort,
  };
  // A maximum beyond the store's bounds excludes nothing: ask for the bound itself (the API refuses more).
  if (filters.max_price != null) filters.max_price = Math.min(filters.max_price, 1_000_000);
  if (filters.max_age != null) filters.max_age = Math.min(filters.max_age, 100);
  // Months round to hundredths of a year; keep a bound from excluding a pet the person asked for.
  if (unit === "months" && maxAge != null) filters.max_age = Math.min(100, Math.ceil((maxAge / 12) * 100) / 100);
  if (unit === "months" && minAge != null) filters.min_age = Math.floor((minAge / 12) * 100) / 100;
  return { filters, problems };
}

/** Does a pet belong in a list with these filters (GET /pets's query)? */
export function matches(pet, filters) {
  if (!filters) return false;
  if (filters.status && pet.status !== filters.status) return false;
  if (filters.type?.length && !filters.type.includes(pet.type)) return false;
  if (filters.min_price != null && pet.price < filters.min_price) return false;
  if (filters.max_price != null && pet.price > filters.max_price) return false;
  if (filters.min_age != null && pet.age < filters.min_age) return false;
  if (filters.max_age != null && pet.age > filters.max_age) return false;
  if (filters.sex && pet.sex !== filters.sex) return false;
  if (filters.size && pet.size !== filters.size) return false;
  for (const member of GOOD_WITH) {
    // As the API filters: true finds pets known to get on, false pets known not to; unknown is neither.
    const wanted = filters[`good_with_${member}`];
    if ((wanted === true || wanted === false) && (pet.good_with?.[member] ?? null) !== wanted) return false;
  }
  if (filters.q) {
    // As the API searches: the name starts with the text, or a word of the breed does (case and accents aside).
    const q = fold(filters.q);
    const breedWords = fold(pet.breed || "").split(" ");
    if (!fold(pet.name).startsWith(q) && !breedWords.some((word) => word.startsWith(q))) return false;
  }
  return true;
}

/** Text as the API compares it: case and accents folded, spaces collapsed. */
export function fold(text) {
  return String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
}

/** The order of a sorted list (the API breaks ties by id). */
export function compareFor(sort) {
  const [field, direction] = String(sort || DEFAULT_SORT).split("_");
  const sign = direction === "desc" ? -1 : 1;
  return (a, b) => {
    const diff = (a[field] ?? 0) - (b[field] ?? 0);
    if (diff) return sign * diff;
    return sign * String(a.id).localeCompare(String(b.id));
  };
}
