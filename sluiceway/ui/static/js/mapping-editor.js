import { get, latestSourceEvent, patch, post } from "./api.js";
import { ConditionBuilder } from "./conditions.js";
import { $, el, eventPaths, fill, pageData, pretty, showError } from "./dom.js";
import { readValue, renderField, writeValue } from "./field-editor.js";

const { destination, mapping_id: mappingId, trigger_model: triggerModel, vocabulary } = pageData();
const destinationId = destination.id;
const entry = await get(`/catalog/${destination.type}`);
const builder = new ConditionBuilder($("#trigger-builder"), vocabulary, { max: vocabulary.max_conditions });
let saved = null;
let fieldStates = {}; // field key → editor state, in display order
let extraMapping = {}; // hidden fields (batch keys…) kept as they are
const notes = {};

// ---------- step 1: the trigger ----------
const mode = () => document.querySelector('input[name="trigger-mode"]:checked').value;
function setMode(value) {
  document.querySelector(`input[name="trigger-mode"][value="${value}"]`).checked = true;
  $("#trigger-builder").hidden = value !== "builder";
  $("#trigger-fql-label").hidden = value !== "fql";
}
document.querySelectorAll('input[name="trigger-mode"]').forEach((radio) =>
  radio.addEventListener("change", () => setMode(mode())));

function trigger() {
  return mode() === "builder" ? { trigger: builder.model() } : { subscribe: $("#trigger-fql").value.trim() };
}

function triggerProblem(error) {
  showError($("#trigger-error"), null);
  if (error.field === "trigger" && builder.showErrors(error.rule)) return true;
  if (error.field === "trigger" || error.field === "subscribe") {
    showError($("#trigger-error"), error);
    return true;
  }
  return false;
}

function testEvent() {
  const text = $("#test-event").value.trim();
  if (!text) throw new Error("Add a test event first: load one, generate one, or paste one.");
  try {
    return JSON.parse(text);
  } catch {
    throw new Error("The test event is not valid JSON.");
  }
}

function setEvent(event) {
  $("#test-event").value = pretty(event);
  refreshPaths();
}

function refreshPaths() {
  let paths = [];
  try { paths = eventPaths(JSON.parse($("#test-event").value)); } catch { /* not JSON yet */ }
  $("#event-paths").replaceChildren(...paths.map((p) => el("option", { value: p })));
}
$("#test-event").addEventListener("change", refreshPaths);

$("#generate-event").addEventListener("click", async () => {
  builder.showErrors("");
  try {
    const answer = await post("/sample-event", trigger());
    setEvent(answer.event);
    $("#trigger-result").textContent = answer.matches ? "Generated an event the trigger matches." : "Generated an event.";
  } catch (error) {
    if (!triggerProblem(error)) showError($("#trigger-result"), error);
  }
});

$("#load-event").addEventListener("click", async () => {
  const result = $("#trigger-result");
  try {
    const latest = await latestSourceEvent(destinationId);
    if (latest) {
      setEvent(latest);
      result.textContent = "Loaded the latest event from the source.";
      return;
    }
    result.textContent = "No recent events in the connected sources: generate or paste one.";
  } catch (error) {
    result.textContent = error.message;
  }
});

$("#check-trigger").addEventListener("click", async () => {
  const result = $("#trigger-result");
  builder.showErrors("");
  try {
    const answer = await post(`/destinations/${destinationId}/test-mapping`, {
      ...trigger(), action: $("#mapping-action").value, mapping: {}, event: testEvent(),
    });
    result.className = answer.matches_trigger ? "ok" : "warning";
    result.textContent = answer.matches_trigger ? "The event matches the trigger." : "The event does not match the trigger.";
  } catch (error) {
    result.className = "error";
    if (!triggerProblem(error)) result.textContent = error.message;
  }
});

// ---------- step 2: the fields ----------
const actionFields = () => entry.actions[$("#mapping-action").value].fields;

function drawFields() {
  const fields = actionFields();
  const keys = Object.keys(fieldStates).sort((a, b) => Number(!fields[a]?.required) - Number(!fields[b]?.required));
  $("#fields").replaceChildren(...keys.map((key) => renderField(key, fields[key], fieldStates[key], {
    note: notes[key],
    onRemove: () => { delete fieldStates[key]; drawFields(); },
  })));
  const optional = Object.entries(fields).filter(([key, f]) => !f.hidden && !(key in fieldStates));
  $("#optional-fields").replaceChildren(...optional.map(([key, f]) => el("option", { value: key }, f.label || key)));
  $("#add-field").disabled = optional.length === 0;
}

function loadFields(mapping, useDefaults) {
  const fields = actionFields();
  fieldStates = {};
  extraMapping = {};
  for (const [key, field] of Object.entries(fields)) {
    const value = useDefaults ? field.default : mapping[key];
    if (field.hidden) {
      if (value !== undefined) extraMapping[key] = value;
    } else if (field.required || value !== undefined) {
      fieldStates[key] = readValue(value, field);
    }
  }
  drawFields();
}

$("#add-field").addEventListener("click", () => {
  const key = $("#optional-fields").value;
  if (!key) return;
  fieldStates[key] = readValue(undefined, actionFields()[key]);
  drawFields();
});

$("#mapping-action").addEventListener("change", () => loadFields({}, true));

function fieldMapping() {
  const mapping = { ...extraMapping };
  for (const [key, state] of Object.entries(fieldStates)) {
    let value;
    try { value = writeValue(state); } catch { throw Object.assign(new Error(`${key}: the mapping JSON is not valid JSON`), { field: `mapping.${key}` }); }
    if (value !== undefined) mapping[key] = value;
  }
  return mapping;
}

function mappingProblem(error) {
  showError($("#mapping-error"), null);
  document.querySelectorAll(".field-error").forEach((n) => { n.textContent = ""; });
  if (!String(error.field || "").startsWith("mapping")) return false;
  const key = error.field.split(".")[1];
  const slot = key && document.querySelector(`[data-field="${CSS.escape(key)}"] .field-error`);
  showError(slot || $("#mapping-error"), error);
  return true;
}

$("#suggest").addEventListener("click", async () => {
  const status = $("#suggest-status");
  try {
    const { suggestions } = await post(`/destinations/${destinationId}/suggest-mappings`, {
      action: $("#mapping-action").value, event: testEvent(),
    });
    let filled = 0;
    for (const [key, ranked] of Object.entries(suggestions)) {
      const field = actionFields()[key];
      if (!ranked.length || !field || field.hidden) continue;
      const current = fieldStates[key] ? writeValue(fieldStates[key]) : undefined;
      if (current !== undefined) continue;
      fieldStates[key] = readValue(ranked[0].mapping, field);
      notes[key] = `Suggested: ${ranked[0].path} (${ranked[0].reason}). Review before saving.`;
      filled += 1;
    }
    drawFields();
    status.textContent = filled ? `Suggested ${filled} fields: review them before saving.` : "No suggestions for the empty fields.";
  } catch (error) {
    status.textContent = error.message;
  }
});

// ---------- step 3: send a test record ----------
function block(title, value) {
  return el("div", {}, el("h3", {}, title), el("pre", { class: "code", tabindex: "0", "aria-label": title },
    typeof value === "string" ? value : pretty(value)));
}

$("#send-test").addEventListener("click", async () => {
  const result = $("#send-result");
  result.replaceChildren(el("p", {}, "Sending…"));
  try {
    const answer = await post(`/destinations/${destinationId}/test-mapping`, {
      ...trigger(), action: $("#mapping-action").value, mapping: fieldMapping(), event: testEvent(), send: true,
    });
    fill(result,
      el("p", { class: answer.verdict === "success" ? "ok" : "error" },
        `Verdict: ${answer.verdict}${answer.message ? ` — ${answer.message}` : ""}`,
        answer.matches_trigger ? "" : " (the event does not match the trigger)"),
      answer.payload !== undefined ? block("Mapped payload", answer.payload) : null,
      answer.request ? block("Request", answer.request) : null,
      answer.response ? block("Response", answer.response) : null,
    );
  } catch (error) {
    result.replaceChildren();
    if (!triggerProblem(error) && !mappingProblem(error)) result.append(el("p", { class: "error" }, error.message));
  }
});

// ---------- save ----------
$("#editor").addEventListener("submit", async (event) => {
  event.preventDefault();
  builder.showErrors("");
  showError($("#trigger-error"), null);
  const name = $("#mapping-name").value.trim();
  if (!name) { $("#mapping-name").focus(); showError($("#mapping-error"), new Error("The mapping needs a name.")); return; }
  try {
    const body = { name, action: $("#mapping-action").value, mapping: fieldMapping(), ...trigger() };
    if (mappingId) await patch(`/mappings/${mappingId}`, body);
    else await post(`/destinations/${destinationId}/mappings`, body);
    window.location.assign(`/destinations/${destinationId}/mappings`);
  } catch (error) {
    if (!triggerProblem(error) && !mappingProblem(error)) showError($("#mapping-error"), error);
  }
});

// ---------- start ----------
$("#mapping-action").replaceChildren(...Object.entries(entry.actions).map(([key, a]) => el("option", { value: key }, a.title)));
if (mappingId) {
  saved = await get(`/mappings/${mappingId}`);
  $("#mapping-name").value = saved.name;
  $("#mapping-action").value = saved.action;
  $("#trigger-fql").value = saved.subscribe;
  if (triggerModel) { builder.set(triggerModel); setMode("builder"); } else { builder.set(null); setMode("fql"); }
  loadFields(saved.mapping, false);
} else {
  builder.set({ match: "all", conditions: [{ kind: "event_type", operator: "is", value: "track" }] });
  setMode("builder");
  loadFields({}, true);
}
