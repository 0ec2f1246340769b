// The conversation: questions in plain words → POST /pets/query; follow-ups refine the previous answer.
// The questions are in the URL, so the conversation shown is always the one the store uses: after a reload
// (or a shared link) they are asked again in a new session, in order, and their answers shown again.
import { ApiError } from "./api.js";
import { chipList, describeField, petCard } from "./cards.js";
import { announce, formatNumber, h, icon, replace } from "./dom.js";
import { isBusy, setBusy } from "./fields.js";

const PAGE_SIZE = 6;
const MAX_TURNS = 12; // questions kept in the URL (and asked again after a reload)
const SUGGESTIONS = [
  "Dogs under $600",
  "The cheapest cat",
  "Young rabbits, youngest first",
  "Top 3 most expensive pets",
];

function sameList(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function isPrefix(short, long) {
  return short.length <= long.length && short.every((x, i) => x === long[i]);
}

function quoteList(words) {
  const quoted = words.map((w) => `“${w}”`);
  if (quoted.length < 2) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

/** The question with `word` replaced by `replacement` (whole word, any case); appended when not found. */
export function replaceWord(question, word, replacement) {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}(?=$|[^\\p{L}\\p{N}])`, "iu");
  if (pattern.test(question)) return question.replace(pattern, (_, before) => `${before}${replacement}`);
  return `${question} ${replacement}`;
}

export class Ask {
  /** navigate(questions) records the conversation in the URL (a new history entry). */
  constructor({ api, auth, openPet, navigate }) {
    this.api = api;
    this.auth = auth;
    this.openPet = openPet;
    this.navigate = navigate;
    this.busy = false;
    this.turns = []; // [{question, item}] answered questions, in order
    this.sessionId = null;
    this.stale = false; // the server's session is ahead of what is shown (after Back)
    this.restoreSeq = 0;
    const $ = (id) => document.getElementById(id);
    this.el = {
      log: $("conversation"), intro: $("ask-intro"), suggestions: $("suggestions"), form: $("ask-form"),
      input: $("ask-input"), send: $("ask-send"), fresh: $("new-conversation"), note: $("conversation-note"),
    };
    replace(this.el.suggestions, SUGGESTIONS.map((text) =>
      h("li", {}, h("button", { type: "button", class: "suggestion", onclick: () => this.ask(text) }, text))));
    this.el.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.ask(this.el.input.value);
    });
    this.el.fresh.addEventListener("click", () => {
      this.startOver();
      this.el.input.focus();
    });
  }

  questions() {
    return this.turns.map((t) => t.question);
  }

  #note(text) {
    this.el.note.textContent = text || "";
    this.el.note.hidden = !text;
  }

  /** Forget the conversation (sign-out, or before a new one). */
  reset() {
    this.restoreSeq += 1;
    this.restoring = null;
    this.turns = [];
    this.sessionId = null;
    this.stale = false;
    this.busy = false;
    this.el.send.disabled = false;
    replace(this.el.log);
    this.el.intro.hidden = false;
    this.el.input.value = "";
    this.#note("");
  }

  /** "New conversation": visibly empty, a new session on the next question, and a new URL. */
  startOver() {
    const had = this.turns.length > 0;
    this.reset();
    this.#note(had ? "Started a new conversation: earlier questions no longer count." : "");
    announce("Started a new conversation.");
    this.navigate([]);
  }

  /** Show the conversation of these questions (from the URL). */
  async show(questions) {
    const wanted = questions.slice(-MAX_TURNS);
    const shown = this.questions();
    if (this.restoring) {
      // Moved through history while an earlier conversation was being restored: restore this one instead.
      if (!sameList(wanted, this.restoring)) await this.#restore(wanted);
      return;
    }
    if (sameList(wanted, shown)) return;
    if (wanted.length === 0) {
      if (shown.length) {
        this.reset();
        this.#note("Started a new conversation.");
      }
      return;
    }
    if (isPrefix(wanted, shown)) {
      // Back: drop the later turns; the store's session is ahead, so it is rebuilt before the next question.
      for (const turn of this.turns.splice(wanted.length)) {
        turn.item.previousElementSibling?.remove();
        turn.item.remove();
      }
      this.stale = true;
      this.#note("");
      return;
    }
    await this.#restore(wanted);
  }

  /** Ask the questions again, in a new session, showing each answer. */
  async #restore(questions) {
    this.reset();
    if (!questions.length) return;
    const seq = this.restoreSeq;
    this.restoring = questions;
    this.busy = true;
    this.el.send.disabled = true;
    this.el.intro.hidden = true;
    this.#note(`Restoring your conversation: asking ${questions.length === 1 ? "your question" : `your ${questions.length} questions`} again…`);
    for (const question of questions) {
      const ok = await this.#turn(question, { record: false });
      if (seq !== this.restoreSeq) return;
      if (!ok) {
        this.#note("Part of your conversation could not be restored. Ask again, or start a new conversation.");
        break;
      }
    }
    if (seq !== this.restoreSeq) return;
    this.restoring = null;
    this.busy = false;
    this.el.send.disabled = false;
    if (this.turns.length === questions.length) {
      this.#note(questions.length === 1
        ? "Your question was asked again, so the answer below is up to date."
        : `Your conversation was restored: its ${questions.length} questions were asked again, in order, so the answers below are up to date.`);
    }
  }

  async ask(rawText, { fresh = false } = {}) {
    const text = String(rawText || "").trim().slice(0, 1000);
    if (!text || this.busy) return;
    if (fresh) this.reset();
    this.busy = true;
    this.el.send.disabled = true;
    this.el.input.value = "";
    this.#note("");
    try {
      await this.#turn(text, { record: true });
    } finally {
      this.busy = false;
      this.el.send.disabled = false;
      if (document.activeElement === document.body || document.activeElement === this.el.send) this.el.input.focus();
    }
  }

  /** One question and its answer; returns true when answered. */
  async #turn(text, { record }) {
    this.el.intro.hidden = true;
    const question = h("li", { class: "turn turn-user" }, h("p", { class: "bubble-user" }, text));
    const item = h("li", { class: "turn turn-answer", "aria-busy": "true" },
      h("div", { class: "bubble-answer loading" }, h("span", { class: "spinner spinner-small", "aria-hidden": "true" }), "Looking through the store…"));
    this.el.log.append(question, item);
    item.scrollIntoView({ block: "nearest" });
    const seq = this.restoreSeq;
    let ok = false;
    try {
      if (this.stale) await this.#rebuildSession();
      const result = await this.api.query(text, this.sessionId, null, PAGE_SIZE);
      if (seq !== this.restoreSeq) return false;
      this.sessionId = result.session_id || this.sessionId;
      this.turns.push({ question: text, item });
      this.#renderAnswer(item, text, result);
      ok = true;
      if (record) this.navigate(this.questions().slice(-MAX_TURNS));
    } catch (error) {
      if (seq !== this.restoreSeq) return false;
      this.#renderError(item, text, error);
    }
    item.setAttribute("aria-busy", "false");
    const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    question.scrollIntoView({ block: "start", behavior: reduce ? "auto" : "smooth" });
    return ok;
  }

  /** After Back, the store's session holds later turns: ask the shown questions again in a new session. */
  async #rebuildSession() {
    let session = null;
    for (const question of this.questions()) {
      const result = await this.api.query(question, session, null, 1);
      session = result.session_id || session;
    }
    this.sessionId = session;
    this.stale = false;
  }

  #headline(pets, result) {
    const shown = pets.length;
    const total = typeof result.total === "number" ? result.total : null;
    if (!shown) return "No pets match that yet.";
    if (total != null) {
      const capped = result.total_capped === true;
      return `${formatNumber(shown)} of ${formatNumber(total)}${capped ? "+" : ""} ${total === 1 && !capped ? "pet" : "pets"}`;
    }
    return result.next_cursor
      ? `Showing ${formatNumber(shown)} ${shown === 1 ? "pet" : "pets"} · more available`
      : `Found ${formatNumber(shown)} ${shown === 1 ? "pet" : "pets"}`;
  }

  #renderAnswer(item, text, result) {
    const pets = result.pets || [];
    const meta = result.meta || {};
    const unrecognised = Array.isArray(meta.unrecognised) ? meta.unrecognised.map(String) : [];
    const suggestions = meta.suggestions && typeof meta.suggestions === "object" ? meta.suggestions : {};
    const corrected = meta.corrected && typeof meta.corrected === "object" ? Object.entries(meta.corrected) : [];
    const carried = Array.isArray(meta.carried) ? meta.carried.map(String) : [];
    const notUnderstood = !pets.length && unrecognised.length > 0;

    const card = (pet) => this.#card(pet);
    const grid = h("ul", { class: "pet-grid pet-grid-compact", "aria-label": "Matching pets" }, pets.map(card));
    const headline = notUnderstood ? `I didn't understand ${quoteList(unrecognised)}.` : this.#headline(pets, result);
    const title = h("h3", { class: "answer-title" }, headline);
    const source = result.source === "llm"
      ? h("span", { class: "source source-llm", title: "Understood by an AI model" }, icon("sparkle", { size: 14 }), "Smart search")
      : h("span", { class: "source source-keyword", title: "Matched by the words in your question" }, icon("search", { size: 14 }), "Quick match");

    const suggestionButtons = unrecognised.filter((w) => suggestions[w]).map((word) =>
      h("button", { type: "button", class: "suggestion", onclick: () => this.ask(replaceWord(text, word, String(suggestions[word]))) },
        String(suggestions[word])));
    const didYouMean = suggestionButtons.length
      ? h("div", { class: "did-you-mean" }, h("span", { class: "muted small" }, "Did you mean"), h("ul", { class: "suggestions" }, suggestionButtons.map((b) => h("li", {}, b))))
      : null;

    const carriedText = carried.map((field) => describeField(field, result.filters)).filter(Boolean);
    const carriedNote = carriedText.length
      ? h("div", { class: "answer-note answer-carried" },
        h("p", {}, h("span", { class: "muted" }, "Kept from before: "), carriedText.join(", ")),
        h("button", { type: "button", class: "btn btn-ghost btn-small", onclick: () => this.#startOverWith(text, item) }, icon("refresh", { size: 16 }), "Start over"))
      : null;
    const correctedNote = corrected.length
      ? h("p", { class: "answer-note answer-corrected" }, `Read ${corrected.map(([typed, read]) => `“${typed}” as “${read}”`).join(", ")}.`)
      : null;

    let body;
    if (notUnderstood) {
      body = h("div", { class: "not-understood" },
        didYouMean || h("p", { class: "muted" }, "Try naming a kind of pet, such as dogs, cats or rabbits, with a price or an age."));
    } else {
      const ignored = unrecognised.length
        ? h("div", { class: "answer-note" }, h("p", {}, `I didn't understand ${quoteList(unrecognised)}, so I left it out.`), didYouMean)
        : null;
      body = [
        h("div", { class: "answer-filters" }, h("span", { class: "muted small" }, "Searched for"), chipList(result.filters)),
        ignored,
        pets.length ? grid : h("p", { class: "muted" }, "Try a wider price range, another kind of pet, or start a new conversation."),
      ];
    }

    const more = h("button", { type: "button", class: "btn btn-ghost btn-small", hidden: !result.next_cursor || notUnderstood }, "Load more");
    const moreError = h("p", { class: "form-error more-error", role: "alert", hidden: true });
    let cursor = result.next_cursor;
    more.addEventListener("click", async () => {
      if (isBusy(more)) return;
      setBusy(more, true, "Loading…");
      moreError.hidden = true;
      try {
        const page = await this.api.query(text, this.sessionId, cursor, PAGE_SIZE);
        const added = page.pets || [];
        for (const pet of added) grid.append(card(pet));
        cursor = page.next_cursor;
        title.textContent = this.#headline(grid.querySelectorAll(".pet-card"), { ...result, ...page, pets: undefined });
        more.hidden = !cursor;
        more.textContent = "Load more";
        if (added.length) grid.querySelector(`[data-pet-id="${CSS.escape(added[0].id)}"] .pet-name`)?.focus();
      } catch (error) {
        moreError.textContent = `Couldn't load more pets. ${error.message || ""}`.trim();
        moreError.hidden = false;
        more.textContent = "Try again";
      } finally {
        setBusy(more, false);
      }
    });
    replace(item,
      h("div", { class: `bubble-answer${notUnderstood ? " bubble-unsure" : ""}` },
        h("div", { class: "answer-head" }, title, source),
        correctedNote,
        carriedNote,
        body,
        h("div", { class: "answer-more" }, moreError, more)));
    announce(`${headline} ${result.source === "llm" ? "Smart search." : "Quick match."}`);
  }

  /** An answer's card: compact, headings under the answer's. */
  #card(pet) {
    return petCard(pet, { onOpen: (p, button) => this.openPet(p, button), compact: true, headingLevel: 4, viewer: this.auth });
  }

  /** A pet shown in answers changed (reserved, its reservation ended, adopted, edited): its cards show it as it is now.
   * The answers stay as they were given; only the cards of that pet are drawn again, in place. */
  onPetChanged(pet) {
    if (!pet?.id) return;
    for (const old of this.el.log.querySelectorAll(`.pet-card[data-pet-id="${CSS.escape(pet.id)}"]`)) {
      old.replaceWith(this.#card(pet));
    }
  }

  /**
   * "Start over" beside what an answer kept from before. On the last answer: a new conversation with just that
   * question. On an earlier one the later questions still count, so nothing shown is dropped: the question is asked
   * again at the end, as a new search ("Start over: …", which the store reads as starting afresh), and the note says so.
   */
  async #startOverWith(text, item) {
    if (this.busy) return;
    const last = this.turns.length ? this.turns[this.turns.length - 1].item : null;
    if (item === last) {
      this.reset();
      await this.ask(text);
      this.#note("Started over: only your last question counts now.");
      return;
    }
    const before = this.turns.length;
    await this.ask(`Start over: ${text}`);
    if (this.turns.length > before) this.#note(`Asked “${text}” again at the end as a new search, without what it kept from before. The questions after it are still above.`);
  }

  #renderError(item, text, error) {
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
