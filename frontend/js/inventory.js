// "Inventory" (#/inventory, staff only): how many pets the store holds by status and by type, from GET /inventory
// (the store's running counts), as two tables. Each count links to Browse filtered that way.
import { capitalize, formatNumber, h, pluralType, replace } from "./dom.js";

const STATUSES = [["available", "Available"], ["pending", "Pending"], ["adopted", "Adopted"]];

/** A whole non-negative count from the answer, or 0. */
function count(value) {
  return Number.isInteger(value) && value > 0 ? value : 0;
}

export class Inventory {
  /** browse(params, link) shows Browse with these URL parameters (a new history entry) and focuses its results. */
  constructor({ api, browse }) {
    this.api = api;
    this.browse = browse;
    this.seq = 0;
    this.loaded = false;
    const $ = (id) => document.getElementById(id);
    this.el = {
      tables: $("inventory-tables"), summary: $("inventory-summary"), error: $("inventory-error"),
      errorText: $("inventory-error-text"), retry: $("inventory-retry"), refresh: $("inventory-refresh"),
    };
    this.el.retry.addEventListener("click", () => this.load());
    this.el.refresh.addEventListener("click", () => this.load());
  }

  /** The view was opened (a tab, a link, Back): the counts now. */
  show() {
    this.load();
  }

  reset() {
    this.seq += 1;
    this.loaded = false;
    replace(this.el.tables);
    this.el.summary.textContent = "Inventory";
    this.el.error.hidden = true;
  }

  async load() {
    const seq = ++this.seq;
    this.el.error.hidden = true;
    this.el.tables.setAttribute("aria-busy", "true");
    if (!this.loaded) this.el.summary.textContent = "Counting the pets…";
    try {
      const answer = await this.api.inventory();
      if (seq !== this.seq) return;
      this.loaded = true;
      this.#render(answer || {});
    } catch (error) {
      if (seq !== this.seq) return;
      this.loaded = false;
      replace(this.el.tables);
      this.el.summary.textContent = "Couldn't count the pets";
      this.el.errorText.textContent = error.message || "Something went wrong.";
      this.el.error.hidden = false;
    } finally {
      if (seq === this.seq) this.el.tables.setAttribute("aria-busy", "false");
    }
  }

  #render(answer) {
    const byStatus = answer.by_status && typeof answer.by_status === "object" ? answer.by_status : {};
    const byType = answer.by_type && typeof answer.by_type === "object" ? answer.by_type : {};
    const statusRows = STATUSES.map(([status, label]) => ({
      label, n: count(byStatus[status]), params: { status }, what: `${status} pets`,
    }));
    const total = statusRows.reduce((sum, row) => sum + row.n, 0);
    const typeRows = Object.entries(byType)
      .map(([type, n]) => ({ label: capitalize(pluralType(type)), n: count(n), params: { type }, what: pluralType(type) }))
      .filter((row) => row.n > 0)
      .sort((a, b) => b.n - a.n || a.label.localeCompare(b.label));
    // Staff browse every status by default: a type's link shows all its pets, as its count does.
    const all = { label: "All pets", n: total, params: {}, what: "pets in all" };
    this.el.summary.textContent = `Inventory · ${formatNumber(total)} ${total === 1 ? "pet" : "pets"}`;
    replace(this.el.tables,
      this.#table("inventory-by-status", "By status", "Status", statusRows, total, all),
      this.#table("inventory-by-type", "By type", "Type", typeRows, total,
        typeRows.length ? null : { label: "No pets yet", n: 0, params: null, what: "" }));
  }

  #table(id, caption, heading, rows, total, footer) {
    const row = (r, section = "tbody") => {
      const share = total ? r.n / total : 0;
      const bar = h("span", { class: "share-bar", "aria-hidden": "true" }, h("span", { style: { "--share": share.toFixed(4) } }));
      const percent = h("span", { class: "sr-only" }, `${Math.round(share * 100)}%`);
      return h("tr", {},
        h("th", { scope: "row" }, r.label),
        h("td", { class: "count" }, this.#countCell(r)),
        h("td", { class: "share" }, section === "tbody" ? [bar, percent] : null));
    };
    return h("div", { class: "card inventory-card" }, h("table", { class: "inventory-table", id },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, heading),
        h("th", { scope: "col", class: "count" }, "Pets"),
        h("th", { scope: "col", class: "share" }, h("span", { class: "sr-only" }, "Share"))),
      ),
      h("tbody", {}, rows.map((r) => row(r))),
      footer ? h("tfoot", {}, row(footer, "tfoot")) : null));
  }

  /** The count, as a link to Browse filtered that way (a plain number when there is nothing to show). */
  #countCell(r) {
    const text = formatNumber(r.n);
    if (!r.n || !r.params) return text;
    const params = new URLSearchParams(r.params);
    return h("a", {
      href: params.toString() ? `#/browse?${params}` : "#/browse",
      onclick: (event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        this.browse(params);
      },
    }, text, h("span", { class: "sr-only" }, ` ${r.what}: browse them`));
  }
}
