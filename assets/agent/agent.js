// The agent's page: pick a letter type, fill the form built from its JSON Schema, see the
// letter as the customer will (email at phone and desktop width, plain text, PDF) with the
// standard's findings beside it, and download it. Talks only to this server's /v1 API; builds
// every element with the DOM (never innerHTML), so nothing a record holds can run as code.
"use strict";

const UI = {
  pl: {
    title: "Listy do klientów", "ui-language": "Język strony", skip: "Przejdź do formularza",
    pick: "1. Rodzaj listu", search: "Szukaj", data: "2. Dane listu",
    "choose-first": "Najpierw wybierz rodzaj listu.", "letter-language": "Język listu",
    "required-legend": "Pola oznaczone * są wymagane.", preview: "3. Podgląd",
    "tab-email": "E-mail", "tab-text": "Tekst", "tab-pdf": "PDF", width: "Szerokość",
    phone: "Telefon (360 px)", desktop: "Komputer (1024 px)", "email-frame": "Podgląd e-maila",
    "pdf-frame": "Podgląd PDF", "download-eml": "Pobierz .eml", "download-pdf": "Pobierz PDF",
    findings: "Zgodność ze standardem", "no-findings": "List spełnia standard.",
    rendering: "Odświeżam podgląd…", ready: "Podgląd aktualny.", "fix-errors": "Popraw zaznaczone pola.",
    "add-row": "Dodaj wiersz", "remove-row": "Usuń wiersz", row: "Wiersz",
    "suggestion": "Zamiast tego:", "found": "Znaleziono:", why: "Dlaczego:",
    "blocked": "List łamie standard, więc nie można go pobrać. Popraw tekst według wskazówek.",
    "server-error": "Serwer nie odpowiedział poprawnie", "owner": "Właściciel", "review": "Przegląd do",
    "select-none": "— wybierz —", "yes": "tak", "refused": "List nie został przygotowany:",
    "level-error": "Błąd", "level-warning": "Ostrzeżenie", "level-info": "Uwaga",
    send: "Wyślij e-mail", sent: "Wysłano. Message-ID:", "send-doubt": "Odpowiedź serwera poczty zginęła: list mógł dojść. Sprawdź skrzynkę, zanim wyślesz go ponownie.",
    token: "Token dostępu", "token-use": "Użyj", "token-help": "Serwer wymaga tokenu; poproś o niego administratora.",
  },
  en: {
    title: "Customer letters", "ui-language": "Page language", skip: "Skip to the form",
    pick: "1. Letter type", search: "Search", data: "2. Letter data",
    "choose-first": "Pick a letter type first.", "letter-language": "Letter language",
    "required-legend": "Fields marked * are required.", preview: "3. Preview",
    "tab-email": "Email", "tab-text": "Text", "tab-pdf": "PDF", width: "Width",
    phone: "Phone (360 px)", desktop: "Desktop (1024 px)", "email-frame": "Email preview",
    "pdf-frame": "PDF preview", "download-eml": "Download .eml", "download-pdf": "Download PDF",
    findings: "Compliance with the standard", "no-findings": "The letter meets the standard.",
    rendering: "Refreshing the preview…", ready: "Preview up to date.", "fix-errors": "Fix the marked fields.",
    "add-row": "Add a row", "remove-row": "Remove row", row: "Row",
    "suggestion": "Write instead:", "found": "Found:", why: "Why:",
    "blocked": "The letter breaks the standard, so it cannot be downloaded. Fix the text as suggested.",
    "server-error": "The server did not answer properly", "owner": "Owner", "review": "Review by",
    "select-none": "— choose —", "yes": "yes", "refused": "The letter was not made:",
    "level-error": "Error", "level-warning": "Warning", "level-info": "Note",
    send: "Send the email", sent: "Sent. Message-ID:", "send-doubt": "The mail server's reply was lost: the letter may have arrived. Check the mailbox before sending it again.",
    token: "Access token", "token-use": "Use", "token-help": "The server wants a token; ask its administrator for one.",
  },
};

const state = {
  ui: (navigator.language || "pl").toLowerCase().startsWith("pl") ? "pl" : "en",
  templates: [],
  template: null, // the chosen template's summary
  schema: null,
  timer: 0,
  generation: 0, // the newest preview request; older answers are dropped
  pdfUrl: null,
  tab: "email",
};

const $ = (id) => document.getElementById(id);
const t = (key) => UI[state.ui][key] || UI.en[key] || key;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

// ---- the page's own language -------------------------------------------------------------

function applyUi() {
  document.documentElement.lang = state.ui;
  $("ui-lang").value = state.ui;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-title]")) node.title = t(node.dataset.i18nTitle);
  for (const node of document.querySelectorAll("[data-i18n-label]")) node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  showTemplates();
}

// ---- the API --------------------------------------------------------------------------------

// A server started with --token-file wants `Authorization: Bearer`; the agent types the token
// once a session (kept in this tab only).
async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  const token = sessionStorage.getItem("missive-token");
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401) $("token-form").hidden = false;
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.blob();
  return { status: response.status, ok: response.ok, body };
}

function problemText(body, status) {
  const errors = (body && body.errors) || [];
  if (errors.length) return errors.map((e) => e.message).join("; ");
  return `${t("server-error")} (HTTP ${status})`;
}

// ---- 1. the letter types --------------------------------------------------------------------

async function loadTemplates() {
  const answer = await api("/v1/templates");
  if (!answer.ok) {
    banner(problemText(answer.body, answer.status));
    return;
  }
  state.templates = Array.isArray(answer.body) ? answer.body : answer.body.templates || [];
  showTemplates();
}

function showTemplates() {
  const list = $("templates");
  const query = $("search").value.trim().toLowerCase();
  list.replaceChildren();
  for (const template of state.templates) {
    const words = [template.id, template.title, template.kind, template.description].join(" ").toLowerCase();
    if (query && !words.includes(query)) continue;
    const chosen = state.template && state.template.id === template.id;
    const button = el("button", {
      type: "button", class: "template", "aria-pressed": chosen ? "true" : "false",
      "data-id": template.id, onclick: () => choose(template),
    },
    el("span", { class: "template-title", text: template.title || template.id }),
    el("span", { class: "template-meta", text: [template.id, template.kind, (template.locales || []).join(", ")].filter(Boolean).join(" · ") }));
    list.append(el("li", {}, button));
  }
}

async function choose(template) {
  state.template = template;
  showTemplates();
  const answer = await api(`/v1/templates/${encodeURIComponent(template.id)}/schema`);
  if (!answer.ok) {
    banner(problemText(answer.body, answer.status));
    return;
  }
  state.schema = answer.body;
  const locale = $("locale");
  locale.replaceChildren(...(template.locales || []).map((tag) => el("option", { value: tag, text: tag })));
  if ([...locale.options].some((o) => o.value === state.ui)) locale.value = state.ui;
  $("locale-row").hidden = locale.options.length === 0;
  $("form-hint").hidden = true;
  $("required-legend").hidden = false;
  buildForm();
  $("form").querySelector("input, select, textarea")?.focus();
  schedule(0);
}

// ---- 2. the form, from the record's JSON Schema ----------------------------------------------

// Keys the page sets itself, or that only batches use.
const RESERVED = new Set(["locale", "_today", "attachments"]);

function buildForm() {
  const form = $("form");
  form.replaceChildren();
  addProperties(form, state.schema, "");
}

function addProperties(parent, schema, prefix) {
  const required = new Set(schema.required || []);
  for (const [name, sub] of Object.entries(schema.properties || {})) {
    if (RESERVED.has(name) || (prefix === "" && name.startsWith("_"))) continue;
    const multiline = (sub || {}).$ref === "#/$defs/multiline";
    addField(parent, name, { ...resolve(sub), multiline }, prefix ? `${prefix}.${name}` : name, required.has(name));
  }
}

// `$ref` to `$defs` within the same document, and the first branch of `anyOf`/`oneOf` that
// is not null (an optional field).
function resolve(schema) {
  let s = schema || {};
  for (let depth = 0; depth < 8 && s.$ref && s.$ref.startsWith("#/$defs/"); depth++) {
    s = { ...(state.schema.$defs || {})[s.$ref.slice(8)], ...withoutRef(s) };
  }
  return s;
}

function withoutRef(s) {
  const copy = { ...s };
  delete copy.$ref;
  return copy;
}

function types(schema) {
  const all = [].concat(schema.type || []);
  for (const branch of schema.anyOf || schema.oneOf || []) all.push(...[].concat(resolve(branch).type || []));
  return all.filter((x) => x !== "null");
}

// `invoice.due_date` → "Due date": a label from the field's name when the schema has no title.
function labelOf(schema, name) {
  if (schema.title) return schema.title;
  const words = name.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fieldId(path) {
  return "f-" + path.replace(/[^A-Za-z0-9_-]/g, "-");
}

function addField(parent, name, schema, path, required) {
  const kinds = types(schema);
  if (kinds[0] === "object" && schema.properties) {
    const fieldset = el("fieldset", { "data-path": path }, el("legend", { text: labelOf(schema, name) }));
    addProperties(fieldset, schema, path);
    parent.append(fieldset);
    return;
  }
  if (kinds[0] === "array" && schema.items) {
    addList(parent, name, resolve(schema.items), path, schema);
    return;
  }
  const id = fieldId(path);
  const label = el("label", { for: id }, labelOf(schema, name), required ? el("span", { class: "required", "aria-hidden": "true", text: " *" }) : null);
  const input = control(schema, kinds, id, path, required);
  const currency = schema["x-missive-type"] === "money" ? schema["x-missive-currency"] : null;
  const help = schema.description ? el("p", { class: "help", id: `${id}-help`, text: schema.description }) : null;
  const problem = el("p", { class: "problem", id: `${id}-problem`, hidden: true });
  input.setAttribute("aria-describedby", [help && `${id}-help`, `${id}-problem`].filter(Boolean).join(" "));
  const box = currency ? el("div", { class: "money" }, input, el("span", { class: "currency", text: currency })) : input;
  parent.append(el("div", { class: "field" }, label, box, help, problem));
}

function control(schema, kinds, id, path, required) {
  const common = { id, name: path, "data-path": path, required: required || undefined, "aria-required": required ? "true" : undefined };
  let input;
  const choices = schema.enum || (schema.anyOf || schema.oneOf || []).flatMap((b) => resolve(b).enum || []);
  if (choices.length) {
    input = el("select", common, el("option", { value: "", text: t("select-none") }),
      ...choices.filter((c) => c !== null).map((c) => el("option", { value: String(c), text: String(c) })));
    if (schema.default !== undefined) input.value = String(schema.default);
  } else if (kinds.includes("boolean") && kinds.length === 1) {
    input = el("input", { ...common, type: "checkbox" });
    input.checked = schema.default === true;
  } else if (schema.format === "date") {
    input = el("input", { ...common, type: "date" });
  } else if (schema.format === "email") {
    input = el("input", { ...common, type: "email", autocomplete: "email", maxlength: schema.maxLength });
  } else if (kinds.includes("integer") || (kinds.includes("number") && !kinds.includes("string"))) {
    input = el("input", { ...common, type: "text", inputmode: kinds.includes("integer") ? "numeric" : "decimal", "data-number": "1" });
  } else if (schema["x-missive-type"] === "money") {
    input = el("input", { ...common, type: "text", inputmode: "decimal", "data-money": "1", placeholder: "0.00" });
  } else if (schema.multiline) {
    input = el("textarea", { ...common, rows: 5, maxlength: schema.maxLength });
  } else {
    input = el("input", { ...common, type: "text", maxlength: schema.maxLength, pattern: schema.pattern,
      inputmode: kinds.includes("number") ? "decimal" : undefined, "data-number": kinds.includes("number") ? "1" : undefined });
  }
  if (schema.examples && schema.examples.length && input.tagName !== "SELECT") input.placeholder = String(schema.examples[0]);
  input.addEventListener("input", () => schedule());
  input.addEventListener("change", () => schedule());
  return input;
}

function addList(parent, name, itemSchema, path, schema) {
  const fieldset = el("fieldset", { class: "list", "data-list": path }, el("legend", { text: labelOf(schema, name) }));
  const rows = el("div", { class: "rows" });
  const add = el("button", { type: "button", class: "add", text: t("add-row"), "data-i18n": "add-row", onclick: () => { addRow(rows, itemSchema, path); schedule(); } });
  fieldset.append(rows, add);
  parent.append(fieldset);
  for (let i = 0; i < Math.max(1, schema.minItems || 0); i++) addRow(rows, itemSchema, path);
}

function addRow(rows, itemSchema, path) {
  const index = rows.children.length;
  const row = el("fieldset", { class: "row" }, el("legend", { text: `${t("row")} ${index + 1}` }));
  const rowPath = `${path}[${index}]`;
  if (itemSchema.properties) addProperties(row, itemSchema, rowPath);
  else addField(row, "value", itemSchema, rowPath, true);
  row.append(el("button", { type: "button", class: "remove", text: t("remove-row"), "data-i18n": "remove-row", onclick: () => {
    row.remove();
    renumber(rows, path);
    schedule();
  } }));
  rows.append(row);
}

// Paths follow the rows' order after one is removed.
function renumber(rows, path) {
  [...rows.children].forEach((row, index) => {
    row.querySelector("legend").textContent = `${t("row")} ${index + 1}`;
    for (const input of row.querySelectorAll("[data-path]")) {
      const rest = input.dataset.path.slice(input.dataset.path.indexOf("]", path.length) + 1);
      input.dataset.path = `${path}[${index}]${rest}`;
    }
  });
}

// The record, nested as the schema says; empty optional fields left out.
function collect() {
  const record = {};
  for (const input of $("form").querySelectorAll("input[data-path], select[data-path], textarea[data-path]")) {
    let value;
    if (input.type === "checkbox") value = input.checked;
    else if (input.value.trim() === "") continue;
    else if (input.dataset.number && /^-?\d+([.,]\d+)?$/.test(input.value.trim())) value = Number(input.value.trim().replace(",", "."));
    // An agent writes 12,50; the record's money takes a dot.
    else if (input.dataset.money && /^-?\d+,\d+$/.test(input.value.trim())) value = input.value.trim().replace(",", ".");
    else value = input.value;
    put(record, input.dataset.path, value);
  }
  return record;
}

function put(record, path, value) {
  const parts = path.split(".").flatMap((part) => {
    const match = part.match(/^(.*)\[(\d+)\]$/);
    return match ? [match[1], Number(match[2])] : [part];
  });
  let node = record;
  parts.forEach((part, i) => {
    if (i === parts.length - 1) {
      node[part] = value;
      return;
    }
    if (node[part] === undefined) node[part] = typeof parts[i + 1] === "number" ? [] : {};
    node = node[part];
  });
  // A row whose fields are all empty leaves a hole; the server would refuse it.
  if (Array.isArray(node)) for (let i = 0; i < node.length; i++) if (node[i] === undefined) node[i] = {};
}

// ---- 3. the preview ------------------------------------------------------------------------

function schedule(delay = 300) {
  clearTimeout(state.timer);
  state.timer = setTimeout(refresh, delay);
}

function letterUrl(format, allow) {
  const query = new URLSearchParams({ format });
  if ($("locale").value) query.set("locale", $("locale").value);
  if (allow) query.set("allow_violations", "true");
  return `/v1/letters/${encodeURIComponent(state.template.id)}?${query}`;
}

function post(url) {
  return api(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(collect()) });
}

async function refresh() {
  if (!state.template) return;
  const generation = ++state.generation;
  $("status").textContent = t("rendering");
  const answer = await post(letterUrl("json", true)).catch((e) => ({ status: 0, ok: false, body: { errors: [{ message: String(e) }] } }));
  if (generation !== state.generation) return;
  showProblems(answer.ok ? [] : (answer.body && answer.body.errors) || [{ message: problemText(answer.body, answer.status) }]);
  showFindings((answer.body && answer.body.findings) || []);
  const ready = answer.ok;
  $("download-eml").disabled = !ready;
  $("download-pdf").disabled = !ready;
  $("send").disabled = !ready;
  state.sendKey = null; // a changed letter is a new letter
  if (ready) {
    $("subject").textContent = answer.body.subject;
    $("html-frame").srcdoc = answer.body.html;
    $("text-view").textContent = `${answer.body.subject}\n\n${answer.body.text}`;
    $("status").textContent = t("ready");
    if (state.tab === "pdf") loadPdf();
  } else {
    $("status").textContent = t("fix-errors");
  }
}

function showProblems(errors) {
  for (const node of document.querySelectorAll(".problem")) {
    node.hidden = true;
    node.textContent = "";
  }
  for (const node of document.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  const general = [];
  for (const error of errors) {
    const path = error.field || error.path;
    const input = path && $("form").querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (input) {
      const problem = $(`${input.id}-problem`);
      problem.textContent = [error.message, error.help].filter(Boolean).join(" — ");
      problem.hidden = false;
      input.setAttribute("aria-invalid", "true");
    } else {
      general.push([path, error.message, error.help].filter(Boolean).join(": "));
    }
  }
  $("errors").replaceChildren(...general.map((text) => el("p", { class: "problem", text })));
}

function showFindings(findings) {
  const list = $("findings");
  const shown = findings.filter((f) => !f.suppressed);
  if (!shown.length) {
    list.replaceChildren(el("li", { class: "ok", text: t("no-findings") }));
    return;
  }
  list.replaceChildren(...shown.map((f) => {
    const field = fieldHolding(f.found);
    return el("li", { class: `finding ${f.severity}` },
      el("p", {}, el("strong", { text: `${t(`level-${f.severity}`)}: ` }), f.message, el("code", { text: ` ${f.code}` })),
      f.found ? el("p", {}, `${t("found")} „${f.found}”`, field ? ` (${field.labels[0]?.textContent.replace(/ \*$/, "") || field.name})` : "") : null,
      f.why ? el("p", {}, `${t("why")} ${f.why}`) : null,
      f.help ? el("p", { text: f.help }) : null,
      f.suggestion ? el("p", { class: "suggestion" }, `${t("suggestion")} `, el("q", { text: f.suggestion })) : null);
  }));
}

// The form field whose text holds a found phrase, so the agent knows where to edit.
function fieldHolding(found) {
  if (!found) return null;
  const needle = found.toLowerCase();
  for (const input of $("form").querySelectorAll("input[type=text], textarea")) {
    if (input.value.toLowerCase().includes(needle)) return input;
  }
  return null;
}

async function loadPdf() {
  const answer = await post(letterUrl("pdf", true));
  if (!answer.ok || !(answer.body instanceof Blob)) return;
  if (state.pdfUrl) URL.revokeObjectURL(state.pdfUrl);
  state.pdfUrl = URL.createObjectURL(answer.body);
  $("pdf-frame").src = state.pdfUrl;
}

async function download(format) {
  const answer = await post(letterUrl(format, false));
  if (!answer.ok) {
    const blocked = answer.body && answer.body.findings && answer.body.findings.some((f) => f.severity === "error" && !f.suppressed);
    $("status").textContent = blocked ? t("blocked") : `${t("refused")} ${problemText(answer.body, answer.status)}`;
    return;
  }
  const name = `${state.template.id}${state.template && collect().key ? "-" + collect().key : ""}.${format}`;
  const url = URL.createObjectURL(answer.body);
  const link = el("a", { href: url, download: name.replace(/[^A-Za-z0-9._-]/g, "_") });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// One key per letter: a retry after a lost answer is the same letter, never a second one.
async function sendLetter() {
  state.sendKey = state.sendKey || (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
  const query = new URLSearchParams();
  if ($("locale").value) query.set("locale", $("locale").value);
  const answer = await api(`/v1/letters/${encodeURIComponent(state.template.id)}/send?${query}`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": state.sendKey },
    body: JSON.stringify(collect()),
  });
  if (answer.ok) $("status").textContent = `${t("sent")} ${answer.body.message_id}`;
  else if (answer.status === 504 || answer.status === 409) $("status").textContent = t("send-doubt");
  else $("status").textContent = `${t("refused")} ${problemText(answer.body, answer.status)}`;
}

// ---- tabs and widths -----------------------------------------------------------------------

function selectTab(name) {
  state.tab = name;
  for (const tab of ["email", "text", "pdf"]) {
    const button = $(`tab-${tab}`);
    button.setAttribute("aria-selected", tab === name ? "true" : "false");
    button.tabIndex = tab === name ? 0 : -1;
    $(`panel-${tab}`).hidden = tab !== name;
  }
  if (name === "pdf" && state.template) loadPdf();
}

function tabKeys(event) {
  const order = ["email", "text", "pdf"];
  const at = order.indexOf(state.tab);
  const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: order.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  const name = order[(next + order.length) % order.length];
  selectTab(name);
  $(`tab-${name}`).focus();
}

function width(phone) {
  $("html-frame").classList.toggle("phone", phone);
  $("width-phone").setAttribute("aria-pressed", String(phone));
  $("width-desktop").setAttribute("aria-pressed", String(!phone));
}

function banner(text) {
  const node = $("standard-error");
  node.textContent = text;
  node.hidden = !text;
}

// The standard reloaded (`missive serve --watch`) or failed to: the server says which.
async function watchStandard() {
  let last = null;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const answer = await api("/healthz").catch(() => null);
    if (!answer || !answer.ok || !answer.body || typeof answer.body !== "object") continue;
    banner(answer.body.reload_error || "");
    $("send").hidden = !answer.body.sends;
    const version = answer.body.generation;
    if (last !== null && version !== undefined && version !== last) {
      await loadTemplates();
      schedule(0);
    }
    last = version ?? last;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("ui-lang").addEventListener("change", (e) => { state.ui = e.target.value; applyUi(); });
  $("search").addEventListener("input", showTemplates);
  $("locale").addEventListener("change", () => schedule(0));
  for (const tab of ["email", "text", "pdf"]) {
    $(`tab-${tab}`).addEventListener("click", () => selectTab(tab));
    $(`tab-${tab}`).addEventListener("keydown", tabKeys);
  }
  $("width-phone").addEventListener("click", () => width(true));
  $("width-desktop").addEventListener("click", () => width(false));
  $("download-eml").addEventListener("click", () => download("eml"));
  $("download-pdf").addEventListener("click", () => download("pdf"));
  $("send").addEventListener("click", sendLetter);
  $("form").addEventListener("submit", (e) => e.preventDefault());
  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem("missive-token", $("token").value.trim());
    $("token-form").hidden = true;
    loadTemplates();
  });
  applyUi();
  loadTemplates();
  watchStandard();
});
