// The firelab console: one page, routed by the location hash, reading /api/….
"use strict";

const main = document.getElementById("main");
let info = null;
let current = { page: "", refresh: null, documents: null };

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (value !== null && value !== undefined && value !== false) element.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    headers: { "Content-Type": "application/json" },
    ...options,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function show(...children) {
  main.replaceChildren(...children);
}

function failure(error) {
  return h("p", { class: "notice", "data-test": "error" }, String(error.message || error));
}

// -- typed values ---------------------------------------------------------------------------

const TYPES = {
  nullValue: "null", booleanValue: "boolean", integerValue: "integer", doubleValue: "double",
  timestampValue: "timestamp", stringValue: "string", bytesValue: "bytes",
  referenceValue: "reference", geoPointValue: "geopoint", arrayValue: "array", mapValue: "map",
};

function typeOf(value) {
  const key = Object.keys(value)[0];
  return TYPES[key] || key;
}

function display(value) {
  const key = Object.keys(value)[0];
  const inner = value[key];
  switch (key) {
    case "nullValue": return "null";
    case "stringValue": return JSON.stringify(inner);
    case "referenceValue": return inner.replace(/^projects\/[^/]+\/databases\/[^/]+\/documents\//, "/");
    case "geoPointValue": return `[${inner.latitude ?? 0}° , ${inner.longitude ?? 0}°]`;
    case "arrayValue": return "[" + (inner.values || []).map(display).join(", ") + "]";
    case "mapValue":
      return "{" + Object.entries(inner.fields || {}).map(([k, v]) => `${k}: ${display(v)}`).join(", ") + "}";
    default: return String(inner);
  }
}

function editText(value) {
  const key = Object.keys(value)[0];
  const inner = value[key];
  switch (key) {
    case "nullValue": return "null";
    case "geoPointValue": return `${inner.latitude ?? 0},${inner.longitude ?? 0}`;
    case "referenceValue": return display(value).slice(1);
    case "arrayValue": case "mapValue": return JSON.stringify(inner);
    default: return String(inner);
  }
}

function typedValue(type, text, database) {
  switch (type) {
    case "string": return { stringValue: text };
    case "integer":
      if (!/^-?\d+$/.test(text.trim())) throw new Error(`${text} is not an integer`);
      return { integerValue: text.trim() };
    case "double":
      if (Number.isNaN(Number(text))) throw new Error(`${text} is not a number`);
      return { doubleValue: Number(text) };
    case "boolean":
      if (!["true", "false"].includes(text.trim())) throw new Error("a boolean is true or false");
      return { booleanValue: text.trim() === "true" };
    case "null": return { nullValue: null };
    case "timestamp":
      if (Number.isNaN(Date.parse(text))) throw new Error(`${text} is not an ISO timestamp`);
      return { timestampValue: text.trim() };
    case "geopoint": {
      const [latitude, longitude] = text.split(",").map(Number);
      return { geoPointValue: { latitude, longitude } };
    }
    case "reference":
      return { referenceValue: `projects/${info.project}/databases/${database}/documents/${text.replace(/^\//, "")}` };
    case "bytes": return { bytesValue: text.trim() };
    case "array": return { arrayValue: JSON.parse(text) };
    case "map": return { mapValue: JSON.parse(text) };
    default: throw new Error(`unknown type ${type}`);
  }
}

// -- data -------------------------------------------------------------------------------------

function dataLink(database, path, label) {
  return h("a", { href: `#/data/${encodeURIComponent(database)}/${path}` }, label);
}

function crumbs(database, path) {
  const parts = path ? path.split("/") : [];
  const links = [dataLink(database, "", database)];
  parts.forEach((part, index) => {
    links.push(" / ", dataLink(database, parts.slice(0, index + 1).join("/"), part));
  });
  return h("p", { class: "crumbs" }, links);
}

async function dataPage(database, path) {
  const segments = path ? path.split("/").length : 0;
  current.documents = { database, path };
  if (segments === 0) {
    const { collections } = await api(`/api/data/${encodeURIComponent(database)}/collections`);
    show(
      h("h1", {}, "Data"),
      h("p", {}, "Database ", h("select", { id: "database", onchange: (e) => { location.hash = `#/data/${e.target.value}/`; } },
        info.databases.map((d) => h("option", { value: d, selected: d === database ? "selected" : null }, d)))),
      crumbs(database, path),
      h("h2", {}, "Collections"),
      h("ul", { "data-test": "collections" }, collections.map((c) => h("li", {}, dataLink(database, c, c)))),
      exportPanel(),
    );
  } else if (segments % 2 === 1) {
    await collectionPage(database, path);
  } else {
    await documentPage(database, path);
  }
}

function exportPanel() {
  const directory = h("input", { id: "export-dir", size: 40, placeholder: "/path/to/export-directory" });
  const status = h("span", {});
  const run = (verb) => async () => {
    try {
      await api(`/api/${verb}`, { method: "POST", body: { directory: directory.value } });
      status.textContent = `${verb} done: ${directory.value}`;
    } catch (error) { status.textContent = error.message; }
  };
  return h("div", { class: "panel" }, h("strong", {}, "Export / import "), directory, " ",
    h("button", { onclick: run("export") }, "Export"), " ",
    h("button", { onclick: run("import") }, "Import"), " ", status);
}

async function collectionPage(database, path) {
  const page = await api(`/api/data/${encodeURIComponent(database)}/collection?path=${encodeURIComponent(path)}`);
  const documents = page.documents || [];
  const newId = h("input", { id: "new-id", placeholder: "document id" });
  const results = h("div", { id: "query-results" });
  show(
    h("h1", {}, "Collection ", h("code", {}, path)),
    crumbs(database, path),
    h("div", { class: "panel" }, "Add a document: ", newId, " ",
      h("button", { onclick: async () => {
        await api(`/api/data/${encodeURIComponent(database)}/document?path=${encodeURIComponent(path + "/" + newId.value)}`, { method: "PUT", body: { fields: {} } });
        location.hash = `#/data/${encodeURIComponent(database)}/${path}/${newId.value}`;
      } }, "Add")),
    h("h2", {}, `Documents (${documents.length}${page.nextPageToken ? "+" : ""})`),
    h("ul", { "data-test": "documents" }, documents.map((d) => {
      const id = d.name.split("/").pop();
      return h("li", {}, dataLink(database, `${path}/${id}`, id));
    })),
    queryPanel(database, path, results),
    results,
  );
}

function queryPanel(database, path, results) {
  const filters = h("div", {});
  const addFilter = () => filters.append(h("div", { class: "filter" },
    h("input", { class: "f-field", placeholder: "field" }), " ",
    h("select", { class: "f-op" }, ["==", "!=", "<", "<=", ">", ">=", "array-contains", "in", "not-in", "array-contains-any"].map((o) => h("option", {}, o))), " ",
    h("input", { class: "f-value", placeholder: 'value as JSON: "open", 3, true' })));
  addFilter();
  const order = h("input", { id: "q-order", placeholder: "order by field" });
  const direction = h("select", { id: "q-direction" }, h("option", {}, "ASCENDING"), h("option", {}, "DESCENDING"));
  const limit = h("input", { id: "q-limit", size: 4, value: "20" });
  const OPS = { "==": "EQUAL", "!=": "NOT_EQUAL", "<": "LESS_THAN", "<=": "LESS_THAN_OR_EQUAL", ">": "GREATER_THAN",
    ">=": "GREATER_THAN_OR_EQUAL", "array-contains": "ARRAY_CONTAINS", "in": "IN", "not-in": "NOT_IN", "array-contains-any": "ARRAY_CONTAINS_ANY" };
  const toValue = (json) => {
    const v = JSON.parse(json);
    if (v === null) return { nullValue: null };
    if (Array.isArray(v)) return { arrayValue: { values: v.map((x) => toValue(JSON.stringify(x))) } };
    if (typeof v === "boolean") return { booleanValue: v };
    if (typeof v === "number") return Number.isInteger(v) ? { integerValue: String(v) } : { doubleValue: v };
    return { stringValue: String(v) };
  };
  const run = async () => {
    const parts = path.split("/");
    const collectionId = parts.pop();
    const conditions = [...filters.querySelectorAll(".filter")].filter((f) => f.querySelector(".f-field").value).map((f) => ({
      fieldFilter: { field: { fieldPath: f.querySelector(".f-field").value }, op: OPS[f.querySelector(".f-op").value],
        value: toValue(f.querySelector(".f-value").value) } }));
    const query = { from: [{ collectionId }] };
    if (conditions.length === 1) query.where = conditions[0];
    if (conditions.length > 1) query.where = { compositeFilter: { op: "AND", filters: conditions } };
    if (order.value) query.orderBy = [{ field: { fieldPath: order.value }, direction: direction.value }];
    if (limit.value) query.limit = Number(limit.value);
    try {
      const answer = await api(`/api/data/${encodeURIComponent(database)}/query`, { method: "POST", body: { parent: parts.join("/"), structuredQuery: query } });
      results.replaceChildren(
        h("p", { class: answer.index.needed ? "notice" : "good", "data-test": "index-need" },
          answer.index.needed ? "Production would refuse this query: " : "Indexes: ", answer.index.message),
        h("p", {}, `${answer.documents.length} documents`),
        h("ul", { "data-test": "query-documents" }, answer.documents.map((d) => {
          const relative = d.name.split("/documents/")[1];
          return h("li", {}, dataLink(database, relative, relative));
        })));
    } catch (error) { results.replaceChildren(failure(error)); }
  };
  return h("div", { class: "panel" }, h("strong", {}, "Query"), filters,
    h("button", { onclick: addFilter }, "+ filter"), " ", order, " ", direction, " limit ", limit, " ",
    h("button", { id: "run-query", onclick: run }, "Run query"));
}

async function documentPage(database, path) {
  const found = await api(`/api/data/${encodeURIComponent(database)}/document?path=${encodeURIComponent(path)}`);
  const url = `/api/data/${encodeURIComponent(database)}/document?path=${encodeURIComponent(path)}`;
  const fields = (found.document && found.document.fields) || {};
  const save = async (next) => { await api(url, { method: "PUT", body: { fields: next } }); await route(); };
  const rows = Object.keys(fields).sort().map((name) => {
    const value = fields[name];
    const cell = h("td", { class: "mono", "data-field": name }, display(value));
    const edit = () => {
      const type = h("select", { class: "edit-type" }, Object.values(TYPES).map((t) => h("option", { selected: t === typeOf(value) ? "selected" : null }, t)));
      const text = h("input", { class: "edit-value", size: 50, value: editText(value) });
      const problem = h("span", { class: "error" });
      cell.replaceChildren(type, " ", text, " ", h("button", { class: "save-field", onclick: async () => {
        try { await save({ ...fields, [name]: typedValue(type.value, text.value, database) }); } catch (error) { problem.textContent = error.message; }
      } }, "Save"), " ", problem);
    };
    return h("tr", {}, h("td", {}, h("code", {}, name)), h("td", { class: "type" }, typeOf(value)), cell,
      h("td", {}, h("button", { class: "edit-field", "data-field": name, onclick: edit }, "Edit"), " ",
        h("button", { onclick: () => { const next = { ...fields }; delete next[name]; save(next); } }, "Delete")));
  });
  const newName = h("input", { id: "new-field", placeholder: "field" });
  const newType = h("select", { id: "new-type" }, Object.values(TYPES).map((t) => h("option", {}, t)));
  const newValue = h("input", { id: "new-value", placeholder: "value" });
  const problem = h("span", { class: "error" });
  show(
    h("h1", {}, "Document ", h("code", {}, path)),
    crumbs(database, path),
    found.document ? h("p", { class: "type" }, `updated ${found.document.updateTime}`) : h("p", { class: "notice" }, "No such document (it may have subcollections)."),
    h("table", { "data-test": "fields" }, h("tr", {}, h("th", {}, "field"), h("th", {}, "type"), h("th", {}, "value"), h("th", {}, "")), rows),
    h("div", { class: "panel" }, "Add a field: ", newName, " ", newType, " ", newValue, " ",
      h("button", { onclick: async () => {
        try { await save({ ...fields, [newName.value]: typedValue(newType.value, newValue.value, database) }); } catch (error) { problem.textContent = error.message; }
      } }, "Add"), " ", problem),
    h("p", {}, h("button", { onclick: async () => {
      if (!confirm(`Delete ${path}?`)) return;
      await api(url, { method: "DELETE" });
      location.hash = `#/data/${encodeURIComponent(database)}/${path.split("/").slice(0, -1).join("/")}`;
    } }, "Delete document")),
    h("h2", {}, "Subcollections"),
    h("ul", {}, found.collections.map((c) => h("li", {}, dataLink(database, `${path}/${c}`, c)))),
    h("h2", {}, "Function runs this document caused"),
    runsTable(found.runs),
  );
}

// -- auth -------------------------------------------------------------------------------------

async function authPage() {
  const tokenBox = h("textarea", { id: "token", rows: 4, cols: 100, readonly: "readonly" });
  const { users } = await api("/api/auth/users");
  show(
    h("h1", {}, "Auth users"),
    h("table", { "data-test": "users" },
      h("tr", {}, h("th", {}, "uid"), h("th", {}, "email"), h("th", {}, "custom claims"), h("th", {}, "")),
      users.map((u) => h("tr", {}, h("td", {}, h("code", {}, u.uid)), h("td", {}, u.email),
        h("td", { class: "mono" }, JSON.stringify(u.claims)),
        h("td", {}, h("button", { onclick: async () => {
          const { token } = await api("/api/auth/token", { method: "POST", body: { uid: u.uid } });
          tokenBox.value = token;
        } }, "Sign token"))))),
    h("p", {}, "An ID token the emulators accept (Authorization: Bearer …):"), tokenBox,
  );
}

// -- requests ---------------------------------------------------------------------------------

function filterForm(fields, onapply) {
  const inputs = fields.map(([name, label, options]) => options
    ? h("select", { name }, options.map((o) => h("option", { value: o }, o || "any")))
    : h("input", { name, placeholder: label }));
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
  inputs.forEach((input) => { input.value = params.get(input.name) || ""; });
  return h("form", { onsubmit: (e) => { e.preventDefault(); onapply(new URLSearchParams(inputs.map((i) => [i.name, i.value]))); } },
    inputs.flatMap((i) => [i, " "]), h("button", {}, "Filter"));
}

async function requestsPage() {
  const query = location.hash.split("?")[1] || "";
  const { requests, capacity } = await api(`/api/requests?${query}`);
  const base = location.hash.split("?")[0];
  show(
    h("h1", {}, "Requests the rules judged"),
    h("p", {}, `The newest ${capacity} are kept.`),
    filterForm([["uid", "uid"], ["path", "path contains"], ["decision", "", ["", "allow", "deny"]]],
      (params) => { location.hash = `${base}?${params}`; }),
    h("table", { "data-test": "requests" },
      h("tr", {}, ["time", "uid", "claims", "method", "path / query", "decision"].map((t) => h("th", {}, t))),
      requests.map((r) => h("tr", { class: "clickable", "data-request": r.id, onclick: () => { location.hash = `#/requests/${r.id}`; } },
        h("td", {}, r.time.slice(11, 23)), h("td", {}, h("code", {}, r.uid || "(none)")),
        h("td", { class: "mono" }, r.claims ? JSON.stringify(Object.fromEntries(Object.entries(r.claims).filter(([k]) => !["iss", "aud", "iat", "exp", "auth_time", "sub", "user_id", "firebase"].includes(k)))) : ""),
        h("td", {}, r.method + (r.writes > 1 ? ` (${r.writes} writes)` : "")),
        h("td", { class: "mono" }, r.path, r.query ? h("div", {}, r.query) : null),
        h("td", { class: r.allowed ? "allow" : "deny" }, r.allowed ? "ALLOW" : "DENY")))),
  );
}

function sourceText(lines, e) {
  if (e.line === e.endLine) return lines[e.line - 1].slice(e.column - 1, e.endColumn - 1);
  const parts = [lines[e.line - 1].slice(e.column - 1)];
  for (let l = e.line; l < e.endLine - 1; l++) parts.push(lines[l]);
  parts.push(lines[e.endLine - 1].slice(0, e.endColumn - 1));
  return parts.join("\n");
}

async function requestDetailPage(number) {
  const r = await api(`/api/requests/${number}`);
  const lines = r.rulesSource.split("\n");
  const view = h("div", {});
  const pick = (allow) => {
    const source = h("div", { class: "source", "data-test": "rules-source" });
    lines.forEach((text, index) => {
      const n = index + 1;
      const line = h("div", { class: "line", id: `L${n}` }, h("span", { class: "no" }, n));
      const c = allow.culprit;
      if (c && n === c.line) {
        const end = c.endLine === c.line ? c.endColumn - 1 : text.length;
        line.append(text.slice(0, c.column - 1),
          h("span", { class: "culprit", "data-test": "culprit", title: c.value }, text.slice(c.column - 1, end)),
          text.slice(end));
        line.classList.add("culprit-line");
      } else {
        line.append(text);
        if (c && n > c.line && n <= c.endLine) line.classList.add("culprit-line");
      }
      if (n === allow.line) line.classList.add("allow-line");
      source.append(line);
    });
    const evaluated = h("table", { "data-test": "expressions" }, h("tr", {}, h("th", {}, "line"), h("th", {}, "expression"), h("th", {}, "value")),
      allow.expressions.filter((e) => e.line !== e.endLine || e.endColumn - e.column > 1).slice(0, 400).map((e) => h("tr", {},
        h("td", {}, e.line), h("td", { class: "mono" }, sourceText(lines, e)), h("td", { class: `mono expr-${e.outcome}` }, e.value))));
    view.replaceChildren(
      allow.culprit
        ? h("p", { class: "notice", "data-test": "culprit-summary" }, `Line ${allow.culprit.line}: `,
            h("code", {}, sourceText(lines, allow.culprit)), ` was ${allow.culprit.value}`)
        : h("p", {}, "This allow granted."),
      source, h("h2", {}, "Expressions evaluated"), evaluated);
    const target = source.querySelector(".culprit") || source.querySelector(".allow-line");
    if (target) source.scrollTop = Math.max(0, target.closest(".line").offsetTop - source.offsetTop - 120);
  };
  show(
    h("h1", {}, "Request ", h("span", { class: r.allowed ? "allow" : "deny" }, r.allowed ? "ALLOWED" : "DENIED")),
    h("table", {},
      h("tr", {}, h("th", {}, "time"), h("td", {}, r.time)),
      h("tr", {}, h("th", {}, "uid"), h("td", {}, h("code", {}, r.uid || "(unauthenticated)"))),
      h("tr", {}, h("th", {}, "claims"), h("td", { class: "mono" }, JSON.stringify(r.claims))),
      h("tr", {}, h("th", {}, "method"), h("td", {}, r.method, r.writes > 1 ? ` (one of ${r.writes} writes of a commit)` : "")),
      h("tr", {}, h("th", {}, "path"), h("td", { class: "mono" }, r.path)),
      r.query ? h("tr", {}, h("th", {}, "query"), h("td", { class: "mono" }, r.query)) : null,
      h("tr", {}, h("th", {}, "wire message"), h("td", { class: "mono" }, r.message))),
    h("h2", {}, `Allow statements tried (${r.rulesFile})`),
    h("table", { "data-test": "allows" }, h("tr", {}, h("th", {}, "line"), h("th", {}, "pattern"), h("th", {}, "result"), h("th", {}, "decided by")),
      r.allows.map((a) => h("tr", { class: "clickable", onclick: () => pick(a) }, h("td", {}, a.line), h("td", { class: "mono" }, a.pattern),
        h("td", { class: a.result === "true" ? "allow" : "deny" }, a.result),
        h("td", { class: "mono" }, a.culprit ? `${sourceText(lines, a.culprit)} → ${a.culprit.value}` : "")))),
    view,
  );
  const first = r.allows.find((a) => a.culprit) || r.allows[0];
  if (first) pick(first);
}

// -- function runs ----------------------------------------------------------------------------

function runsTable(runs) {
  return h("table", { "data-test": "runs" },
    h("tr", {}, ["started", "function", "event", "document", "duration", "outcome", "attempts", "reads", "writes"].map((t) => h("th", {}, t))),
    runs.map((r) => h("tr", { class: "clickable", "data-run": r.id, onclick: () => { location.hash = `#/runs/${r.id}`; } },
      h("td", {}, r.started.slice(11, 23)), h("td", {}, r.function), h("td", {}, r.change || r.kind),
      h("td", { class: "mono" }, r.document), h("td", { "data-test": "duration" }, r.durationMs === null ? "running" : `${r.durationMs.toFixed(1)} ms`),
      h("td", { class: r.outcome }, r.outcome, r.reason ? `: ${r.reason}` : ""), h("td", {}, r.attempts),
      h("td", { "data-test": "reads" }, `${r.reads}${r.overlapped ? "*" : ""}`),
      h("td", { "data-test": "writes" }, `${r.writes.length}${r.overlapped ? "*" : ""}`))),
    runs.some((r) => r.overlapped) ? h("caption", { align: "bottom" }, "* overlapped other runs: the window's reads and writes") : null);
}

let scheduleStatus = "";
// What the last "Run now" did; kept across the page's refreshes.

async function runsPage() {
  const query = location.hash.split("?")[1] || "";
  const [{ runs }, { functions }] = await Promise.all([api(`/api/runs?${query}`), api("/api/functions")]);
  const base = location.hash.split("?")[0];
  const schedules = functions.filter((f) => f.kind === "scheduled");
  const status = h("span", { id: "schedule-status" }, scheduleStatus);
  show(
    h("h1", {}, "Function runs"),
    filterForm([["function", "", ["", ...functions.map((f) => f.name)]], ["document", "document contains"]],
      (params) => { location.hash = `${base}?${params}`; }),
    runsTable(runs),
    schedules.length ? h("div", { class: "panel" }, h("strong", {}, "Schedules "),
      schedules.map((f) => h("span", {}, h("code", {}, f.name), ` (${f.schedule}) `,
        h("button", { "data-schedule": f.name, onclick: async () => {
          const say = (text) => { scheduleStatus = text; const shown = document.getElementById("schedule-status"); if (shown) shown.textContent = text; };
          say(`running ${f.name}…`);
          try { const answer = await api(`/api/schedules/${f.name}/run`, { method: "POST" }); say(`${f.name}: HTTP ${answer.status}`); }
          catch (error) { say(error.message); }
          await route(); // the run is in the list now
        } }, "Run now"), " ")), status) : null,
  );
}

async function runDetailPage(number) {
  const r = await api(`/api/runs/${number}`);
  show(
    h("h1", {}, "Run of ", h("code", {}, r.function), " ", h("span", { class: r.outcome }, r.outcome)),
    h("table", {},
      [["kind", r.kind], ["event id", r.eventId], ["document", r.document], ["change", r.change], ["started", r.started],
        ["duration", r.durationMs === null ? "running" : `${r.durationMs} ms`], ["attempts", r.attempts],
        ["reason", r.reason]].filter(([, v]) => v !== "" && v !== null).map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", { class: "mono" }, v)))),
    r.document ? h("p", {}, dataLink("(default)", r.document, "Open the document")) : null,
    r.error ? [h("h2", {}, "Error"), h("pre", { "data-test": "traceback" }, r.error)] : null,
    h("p", { "data-test": "cost" }, `Cost: ${r.reads} document reads, ${r.writes.length} writes`,
      r.overlapped ? " (other runs were in progress: counted over the shared window)" : ""),
    h("h2", {}, `Writes (${r.writes.length})`),
    h("ul", {}, r.writes.map((w) => h("li", { class: "mono" }, w))),
    h("h2", {}, "Logged"), h("pre", {}, r.logs.join("\n")),
  );
}

// -- plots ------------------------------------------------------------------------------------

async function plotsPage() {
  const { plots } = await api("/api/plots");
  show(
    h("h1", {}, "Analytics"),
    h("div", { class: "plots" }, plots.map((plot) => {
      const picture = h("div", { class: "picture" });
      picture.innerHTML = plot.svg; // drawn by the console's own server from the documents
      const csv = `data:text/csv;charset=utf-8,${encodeURIComponent(plot.csv)}`;
      const slug = plot.title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
      return h("div", { class: "plot", "data-test": "plot", "data-kind": plot.kind },
        h("h2", {}, plot.title), picture,
        h("p", {}, h("a", { href: csv, download: `${slug}.csv` }, "CSV")),
        plot.rows.length ? h("table", {}, h("tr", {}, Object.keys(plot.rows[0]).map((k) => h("th", {}, k))),
          plot.rows.map((row) => h("tr", {}, Object.values(row).map((v) => h("td", {}, v))))) : null);
    })),
  );
}

// -- routing ----------------------------------------------------------------------------------

async function route() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [page, ...rest] = hash.split("?")[0].split("/");
  current.page = page || "data";
  current.documents = null;
  document.querySelectorAll("header nav a").forEach((a) => a.classList.toggle("active", a.dataset.page === current.page));
  try {
    if (current.page === "data") {
      const database = decodeURIComponent(rest[0] || "(default)");
      await dataPage(database, rest.slice(1).filter(Boolean).join("/"));
    } else if (current.page === "auth") await authPage();
    else if (current.page === "requests") rest[0] ? await requestDetailPage(rest[0]) : await requestsPage();
    else if (current.page === "runs") rest[0] ? await runDetailPage(rest[0]) : await runsPage();
    else if (current.page === "plots") await plotsPage();
    else show(h("p", {}, "No such page."));
  } catch (error) {
    show(failure(error));
  }
  main.dataset.ready = location.hash;
}

function live() {
  const indicator = document.getElementById("live");
  const source = new EventSource("/api/changes");
  source.onopen = () => indicator.classList.add("on");
  source.onerror = () => indicator.classList.remove("on");
  source.addEventListener("change", (event) => {
    const change = JSON.parse(event.data);
    const shown = current.documents;
    if (!shown || shown.database !== change.database) return;
    const affected = change.documents.some((d) => d === shown.path || d.startsWith(shown.path + "/") || shown.path === "" ||
      d.split("/").slice(0, -1).join("/") === shown.path);
    if (affected) route();
  });
}

async function start() {
  info = await api("/api/info");
  document.getElementById("project").textContent = info.project;
  if (info.plots && info.plots.length) document.getElementById("plots-link").hidden = false;
  window.addEventListener("hashchange", route);
  live();
  await route();
  // Lists of requests and runs follow new entries while open; other pages follow the data feed.
  setInterval(() => {
    const hash = location.hash;
    if (document.visibilityState === "visible" && /^#\/(requests|runs)(\?|$)/.test(hash) && !main.contains(document.activeElement)) route();
  }, 1500);
}

start();
