import { del, get, patch, post } from "./api.js";
import { ConditionBuilder } from "./conditions.js";
import { $, el, fill, pageData, pretty, showError, switchInput, toast } from "./dom.js";

const { destination: { id }, vocabulary } = pageData();
const builder = new ConditionBuilder($("#filter-builder"), vocabulary, { prefix: "filter" });
builder.set({ match: "all", conditions: [{ kind: "event_name", operator: "is", value: "" }] });
const mode = () => document.querySelector('input[name="filter-mode"]:checked').value;
document.querySelectorAll('input[name="filter-mode"]').forEach((radio) => radio.addEventListener("change", () => {
  $("#filter-builder").hidden = mode() !== "builder";
  $("#filter-fql-label").hidden = mode() !== "fql";
}));

// The builder's FQL comes from the API (the same generator triggers use).
async function condition() {
  if (mode() === "fql") return $("#filter-fql").value.trim();
  try {
    return (await post("/sample-event", { trigger: builder.model() })).subscribe;
  } catch (error) {
    if (error.field === "trigger") builder.showErrors(error.rule);
    throw error;
  }
}

function sample() {
  try { return JSON.parse($("#filter-sample").value); } catch { throw new Error("The sample event is not valid JSON."); }
}

async function load() {
  const [{ data }, { sources }, destination] = await Promise.all([
    get(`/destination/${id}/filters?pagination[count]=200`), get("/sources"), get(`/destinations/${id}`),
  ]);
  const connected = sources.filter((s) => (destination.source_ids || []).includes(s.id));
  $("#filter-source").replaceChildren(...connected.map((s) => el("option", { value: s.id }, s.name)));
  $("#filters-empty").hidden = data.filters.length > 0;
  $("#filters-body").replaceChildren(...data.filters.map((f) => el("tr", {},
    el("td", {}, f.title),
    el("td", { class: "mono" }, f.if),
    el("td", {}, switchInput(`Enable filter ${f.title}`, f.enabled, async (event) => {
      await patch(`/destination/${id}/filters/${f.id}`, { enabled: event.target.checked });
      toast(`Filter ${event.target.checked ? "enabled" : "disabled"}`);
    })),
    el("td", {}, el("button", { type: "button", "aria-label": `Delete filter ${f.title}`, onclick: async () => {
      if (!window.confirm(`Delete the filter “${f.title}”?`)) return;
      await del(`/destination/${id}/filters/${f.id}`);
      load();
    } }, "Delete")))));
}

$("#filter-preview").addEventListener("click", async () => {
  const out = $("#filter-preview-result");
  showError($("#filter-error"), null);
  try {
    const answer = await post("/destination/filters/preview", {
      filter: { if: await condition(), actions: [{ type: "DROP" }] }, payload: sample(),
    });
    fill(out, 
      el("p", { class: answer.data.result === null ? "warning" : "ok" },
        answer.data.result === null ? "Preview: this event would be dropped." : "Preview: this event would be kept."),
      answer.data.result === null ? null : el("pre", { class: "code", "aria-label": "Preview result" }, pretty(answer.data.result)));
  } catch (error) {
    showError($("#filter-error"), error);
  }
});

$("#filter-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError($("#filter-error"), null);
  try {
    await post(`/destination/${id}/filters`, {
      sourceId: $("#filter-source").value, title: $("#filter-title").value.trim(),
      if: await condition(), actions: [{ type: "DROP" }], enabled: true,
    });
    toast("Filter created");
    event.target.reset();
    await load();
  } catch (error) {
    showError($("#filter-error"), error);
  }
});

$("#filter-sample").value = pretty({ type: "track", event: "Order Completed", userId: "user-1", properties: { total: 42 } });
load();
