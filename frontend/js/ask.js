// The conversation: questions in plain words → POST /pets/query, follow-ups refine the last answer.
import { ApiError } from "./api.js";
import { chipList, petCard } from "./cards.js";
import { announce, h, icon, replace } from "./dom.js";

const SESSION_KEY = "petstore.conversation";
const PAGE_SIZE = 6;
const SUGGESTIONS = [
  "Dogs under $600",
  "The cheapest cat",
  "Young rabbits, youngest first",
  "Top 3 most expensive pets",
];

export class Ask {
  constructor({ api, auth, onOpenPet }) {
    this.api = api;
    this.auth = auth;
    this.onOpenPet = onOpenPet;
    this.busy = false;
    this.el = {
      log: document.getElementById("conversation"),
      intro: document.getElementById("ask-intro"),
      suggestions: document.getElementById("suggestions"),
      form: document.getElementById("ask-form"),
      input: document.getElementById("ask-input"),
      send: document.getElementById("ask-send"),
      fresh: document.getElementById("new-conversation"),
    };
    replace(this.el.suggestions, SUGGESTIONS.map((text) =>
      h("li", {}, h("button", { type: "button", class: "suggestion", onclick: () => this.ask(text) }, text))));
    this.el.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.ask(this.el.input.value);
    });
    this.el.fresh.addEventListener("click", () => {
      this.reset();
      announce("Started a new conversation.");
      this.el.input.focus();
    });
  }

  get sessionId() {
    return sessionStorage.getItem(SESSION_KEY);
  }

  set sessionId(value) {
    if (value) sessionStorage.setItem(SESSION_KEY, value);
    else sessionStorage.removeItem(SESSION_KEY);
  }

  reset() {
    this.sessionId = null;
    replace(this.el.log);
    this.el.intro.hidden = false;
    this.el.input.value = "";
  }

  async ask(rawText) {
    const text = String(rawText || "").trim();
    if (!text || this.busy) return;
    this.busy = true;
    this.el.send.disabled = true;
    this.el.intro.hidden = true;
    this.el.input.value = "";
    this.el.log.append(h("li", { class: "turn turn-user" }, h("p", { class: "bubble-user" }, text)));
    const answer = h("li", { class: "turn turn-answer", "aria-busy": "true" },
      h("div", { class: "bubble-answer loading" }, h("span", { class: "spinner spinner-small", "aria-hidden": "true" }), "Looking through the store…"));
    this.el.log.append(answer);
    answer.scrollIntoView({ block: "nearest", behavior: "smooth" });
    try {
      const result = await this.api.query(text, this.sessionId, null, PAGE_SIZE);
      this.sessionId = result.session_id || this.sessionId;
      this.renderAnswer(answer, text, result);
    } catch (error) {
      this.renderError(answer, text, error);
    }
    try {
      // Bring the question and the top of its answer into view (the question box stays at the bottom).
      answer.previousElementSibling?.scrollIntoView({ block: "start", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
    } finally {
      answer.setAttribute("aria-busy", "false");
      this.busy = false;
      this.el.send.disabled = false;
      if (document.activeElement === document.body || document.activeElement === this.el.send) this.el.input.focus();
    }
  }

  renderAnswer(item, text, result) {
    const pets = result.pets || [];
    const grid = h("ul", { class: "pet-grid pet-grid-compact", "aria-label": "Matching pets" },
      pets.map((pet) => petCard(pet, { onOpen: this.onOpenPet, compact: true })));
    const headline = pets.length
      ? `Found ${pets.length}${result.next_cursor ? "+" : ""} pet${pets.length === 1 && !result.next_cursor ? "" : "s"} for you.`
      : "No pets match that yet.";
    const source = result.source === "llm"
      ? h("span", { class: "source source-llm", title: "Understood by an AI model (Amazon Bedrock)" }, icon("sparkle", { size: 14 }), "Answered by AI")
      : h("span", { class: "source source-keyword", title: "Understood by matching keywords" }, icon("search", { size: 14 }), "Keyword matching");
    const more = h("button", { type: "button", class: "btn btn-ghost btn-small", hidden: !result.next_cursor }, "Load more");
    let cursor = result.next_cursor;
    more.addEventListener("click", async () => {
      more.disabled = true;
      more.textContent = "Loading…";
      try {
        const page = await this.api.query(text, this.sessionId, cursor, PAGE_SIZE);
        for (const pet of page.pets || []) grid.append(petCard(pet, { onOpen: this.onOpenPet, compact: true }));
        cursor = page.next_cursor;
        more.hidden = !cursor;
      } catch (error) {
        more.after(h("p", { class: "form-error", role: "alert" }, error.message));
        more.hidden = true;
      } finally {
        more.disabled = false;
        more.textContent = "Load more";
      }
    });
    replace(item,
      h("div", { class: "bubble-answer" },
        h("div", { class: "answer-head" }, h("p", { class: "answer-title" }, headline), source),
        h("div", { class: "answer-filters" }, h("span", { class: "muted small" }, "Searched for"), chipList(result.filters)),
        pets.length ? grid : h("p", { class: "muted" }, "Try a wider price range, another kind of pet, or start a new conversation."),
        more));
    announce(`${headline} ${result.source === "llm" ? "Answered by AI." : "Answered by keyword matching."}`);
  }

  renderError(item, text, error) {
    const retry = h("button", { type: "button", class: "btn btn-ghost btn-small", onclick: () => {
      item.previousElementSibling?.remove();
      item.remove();
      this.ask(text);
    } }, icon("refresh", { size: 16 }), "Try again");
    const message = error instanceof ApiError || error?.message ? error.message : "Something went wrong.";
    replace(item, h("div", { class: "bubble-answer bubble-error", role: "alert" },
      h("p", {}, `Sorry, I couldn't answer that. ${message}`), error?.status === 401 ? null : retry));
  }
}
