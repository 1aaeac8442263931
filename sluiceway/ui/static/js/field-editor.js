// One action field of the mapping editor: an event path, text with {{variables}}, a
// static value, a function, or (object fields) Select Object / Edit Object. Each mode
// reads and writes the mapping JSON of docs/mapping.md.
import { el } from "./dom.js";

const FUNCTIONS = ["coalesce", "case", "json", "flatten", "replace"];

export function toPath(text) {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "$." || trimmed === "$") return "$.";
  return trimmed.startsWith("$.") ? trimmed : `$.${trimmed}`;
}

const fromPath = (path) => (path === "$." ? "$." : String(path).replace(/^\$\./, ""));
const isDirective = (value, key) =>
  value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && key in value;

// The editor state a mapping value reads as: {mode, ...details}.
export function readValue(value, field) {
  if (value === undefined) return { mode: "path", path: "" };
  if (isDirective(value, "@path")) return { mode: "path", path: fromPath(value["@path"]) };
  if (isDirective(value, "@template")) return { mode: "text", text: value["@template"] };
  if (typeof value === "string") return { mode: "text", text: value };
  if (value === null || typeof value === "number" || typeof value === "boolean") {
    return { mode: "static", type: value === null ? "null" : typeof value, value: String(value) };
  }
  if (isDirective(value, "@literal")) {
    const v = value["@literal"];
    if (v === null || ["number", "boolean", "string"].includes(typeof v)) {
      return { mode: "static", type: v === null ? "null" : typeof v, value: v === null ? "" : String(v) };
    }
  }
  const pathOf = (v) => (isDirective(v, "@path") ? fromPath(v["@path"]) : null);
  if (isDirective(value, "@if")) {
    const { exists, then, else: fallback } = value["@if"];
    if (pathOf(exists) !== null && JSON.stringify(exists) === JSON.stringify(then) && pathOf(fallback) !== null) {
      return { mode: "function", fn: "coalesce", path: pathOf(exists), fallback: pathOf(fallback) };
    }
  }
  if (isDirective(value, "@case") && pathOf(value["@case"].value) !== null) {
    return { mode: "function", fn: "case", path: pathOf(value["@case"].value), operator: value["@case"].operator };
  }
  if (isDirective(value, "@json") && pathOf(value["@json"].value) !== null) {
    return { mode: "function", fn: "json", path: pathOf(value["@json"].value), jsonMode: value["@json"].mode };
  }
  if (isDirective(value, "@flatten") && pathOf(value["@flatten"].value) !== null) {
    return { mode: "function", fn: "flatten", path: pathOf(value["@flatten"].value), separator: value["@flatten"].separator ?? "." };
  }
  if (isDirective(value, "@replace") && pathOf(value["@replace"].value) !== null) {
    const r = value["@replace"];
    return {
      mode: "function", fn: "replace", path: pathOf(r.value), pattern: r.pattern ?? "", replacement: r.replacement ?? "",
      pattern2: r.pattern2 ?? "", replacement2: r.replacement2 ?? "",
    };
  }
  if (field?.type === "object" && value && typeof value === "object" && !Array.isArray(value)
      && Object.values(value).every((v) => pathOf(v) !== null)) {
    return { mode: "object", entries: Object.entries(value).map(([key, v]) => ({ key, path: pathOf(v) })) };
  }
  return { mode: "json", json: JSON.stringify(value, null, 2) };
}

// The mapping JSON for an editor state; undefined leaves the field out.
export function writeValue(state) {
  const p = (text) => ({ "@path": toPath(text) });
  switch (state.mode) {
    case "path": return state.path.trim() === "" ? undefined : p(state.path);
    case "text": return state.text.includes("{{") ? { "@template": state.text } : state.text === "" ? undefined : state.text;
    case "static":
      if (state.type === "null") return { "@literal": null };
      if (state.type === "boolean") return { "@literal": state.value === "true" };
      if (state.type === "number") return { "@literal": Number(state.value) };
      return state.value;
    case "function": {
      const value = p(state.path || "");
      if (state.fn === "coalesce") return { "@if": { exists: value, then: value, else: p(state.fallback || "") } };
      if (state.fn === "case") return { "@case": { operator: state.operator || "lower", value } };
      if (state.fn === "json") return { "@json": { mode: state.jsonMode || "encode", value } };
      if (state.fn === "flatten") return { "@flatten": { value, separator: state.separator ?? "." } };
      const replace = { pattern: state.pattern, replacement: state.replacement ?? "", value, global: true, ignorecase: false };
      if (state.pattern2) Object.assign(replace, { pattern2: state.pattern2, replacement2: state.replacement2 ?? "" });
      return { "@replace": replace };
    }
    case "object": {
      const entries = state.entries.filter((e) => e.key.trim());
      return entries.length ? Object.fromEntries(entries.map((e) => [e.key.trim(), p(e.path)])) : undefined;
    }
    default:
      return state.json.trim() === "" ? undefined : JSON.parse(state.json);
  }
}

export function renderField(key, field, state, { onRemove, note }) {
  const label = field.label || key;
  const body = el("div", { class: "field-body" });
  const modes = [
    ["path", field.type === "object" ? "Select Object" : "Event variable"],
    ["text", "Text with variables"],
    ["static", "Static value"],
    ["function", "Function"],
    ...(field.type === "object" ? [["object", "Edit Object"]] : []),
    ["json", "Mapping JSON"],
  ];
  const input = (name, prop, attrs = {}) => el("input", {
    "aria-label": `${label} ${name}`, value: state[prop] ?? "",
    oninput: (e) => { state[prop] = e.target.value; }, ...attrs,
  });
  const pathInput = (name, prop) => input(name, prop, { list: "event-paths", class: "mono", placeholder: "properties.email" });
  const select = (name, prop, options) => el("select", {
    "aria-label": `${label} ${name}`, onchange: (e) => { state[prop] = e.target.value; draw(); },
  }, ...options.map((o) => el("option", { value: o, selected: o === state[prop] }, o)));

  function draw() {
    const parts = [];
    if (state.mode === "path") parts.push(pathInput("event path", "path"));
    if (state.mode === "text") parts.push(input("text", "text", { placeholder: "+1{{properties.phone}}" }));
    if (state.mode === "static") {
      state.type ??= "string";
      parts.push(select("static type", "type", ["string", "number", "boolean", "null"]));
      if (state.type === "boolean") { state.value = state.value === "true" ? "true" : "false"; parts.push(select("static value", "value", ["true", "false"])); }
      else if (state.type !== "null") parts.push(input("static value", "value", { type: state.type === "number" ? "number" : "text" }));
    }
    if (state.mode === "function") {
      state.fn ??= "coalesce";
      parts.push(select("function", "fn", FUNCTIONS), pathInput("function value path", "path"));
      if (state.fn === "coalesce") parts.push(pathInput("fallback path", "fallback"));
      if (state.fn === "case") { state.operator ??= "lower"; parts.push(select("case", "operator", ["lower", "upper"])); }
      if (state.fn === "json") { state.jsonMode ??= "encode"; parts.push(select("JSON mode", "jsonMode", ["encode", "decode"])); }
      if (state.fn === "flatten") { state.separator ??= "."; parts.push(input("separator", "separator")); }
      if (state.fn === "replace") {
        parts.push(input("pattern", "pattern", { maxlength: 10 }), input("replacement", "replacement", { maxlength: 10 }),
          input("second pattern", "pattern2", { maxlength: 10 }), input("second replacement", "replacement2", { maxlength: 10 }));
      }
    }
    if (state.mode === "object") {
      state.entries ??= [];
      state.entries.forEach((entry, i) => parts.push(el("div", { class: "row" },
        el("input", { "aria-label": `${label} key ${i + 1}`, value: entry.key, oninput: (e) => { entry.key = e.target.value; } }),
        el("input", { "aria-label": `${label} value path ${i + 1}`, value: entry.path, list: "event-paths", class: "mono", oninput: (e) => { entry.path = e.target.value; } }),
        el("button", { type: "button", "aria-label": `Remove ${label} key ${i + 1}`, onclick: () => { state.entries.splice(i, 1); draw(); } }, "×"))));
      parts.push(el("button", { type: "button", onclick: () => { state.entries.push({ key: "", path: "" }); draw(); } }, `Add ${label} key`));
    }
    if (state.mode === "json") parts.push(el("textarea", {
      "aria-label": `${label} mapping JSON`, rows: 3, class: "mono", value: state.json ?? "",
      oninput: (e) => { state.json = e.target.value; },
    }));
    body.replaceChildren(...parts);
  }

  const modeSelect = el("select", {
    "aria-label": `${label} source`,
    onchange: (e) => { state.mode = e.target.value; draw(); },
  }, ...modes.map(([value, text]) => el("option", { value, selected: value === state.mode }, text)));
  draw();
  return el("div", { class: "mapping-field", "data-field": key },
    el("div", { class: "row spread" },
      el("strong", {}, label, field.required ? el("span", { class: "required", "aria-label": "required" }, " *") : null),
      field.required ? null : el("button", { type: "button", "aria-label": `Remove ${label}`, onclick: onRemove }, "×")),
    field.description ? el("small", { class: "muted" }, field.description) : null,
    el("div", { class: "row" }, modeSelect, body),
    note ? el("small", { class: "suggested" }, note) : null,
    el("p", { class: "error field-error", role: "alert" }));
}
