import { latestSourceEvent, post } from "./api.js";
import { $, el, pageData, pretty, showError } from "./dom.js";

const { destination: { id } } = pageData();

function block(title, value) {
  return el("details", { open: true }, el("summary", {}, title),
    el("pre", { class: "code", tabindex: "0", "aria-label": title }, typeof value === "string" ? value : pretty(value)));
}

// `onlyIfEmpty`: the sample the page offers on opening must not overwrite an event the
// user typed or pasted while it was being generated.
async function sample({ onlyIfEmpty = false } = {}) {
  const type = $("#tester-type").value;
  const answer = await post("/sample-event", { subscribe: `type = "${type}"` });
  if (onlyIfEmpty && $("#tester-event").value.trim() !== "") return;
  $("#tester-event").value = pretty(answer.event);
}

$("#tester-sample").addEventListener("click", () => sample().catch((e) => showError($("#tester-error"), e)));
$("#tester-type").addEventListener("change", () => sample().catch((e) => showError($("#tester-error"), e)));

$("#tester-load").addEventListener("click", async () => {
  try {
    const latest = await latestSourceEvent(id);
    if (latest) { $("#tester-event").value = pretty(latest); return; }
    showError($("#tester-error"), new Error("No recent events in the connected sources."));
  } catch (error) {
    showError($("#tester-error"), error);
  }
});

$("#tester-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError($("#tester-error"), null);
  let payload;
  try { payload = JSON.parse($("#tester-event").value); } catch {
    showError($("#tester-error"), new Error("The test event is not valid JSON."));
    return;
  }
  $("#tester-message").textContent = "Sending…";
  try {
    const answer = await post(`/destinations/${id}/event-tester`, { event: payload, apply_filters: $("#apply-filters").checked });
    $("#tester-message").textContent = answer.message
      || `${answer.matched} mapping${answer.matched === 1 ? "" : "s"} matched; ${answer.calls} request${answer.calls === 1 ? "" : "s"} sent.`;
    if (answer.filtered) $("#tester-message").textContent += ` Dropped by a filter: ${answer.filtered.reason}.`;
    $("#tester-results").replaceChildren(...answer.results.map((r) =>
      el("article", { class: "result card", "aria-label": `Result for ${r.mapping_name || r.mapping_id}` },
        el("h3", {}, r.mapping_name || r.mapping_id, " ", el("span", { class: `badge ${r.verdict}` }, r.verdict)),
        r.message ? el("p", {}, `${r.code || ""} ${r.message}`) : null,
        r.payload ? block("Payload", r.payload) : null,
        r.request ? block("Request", r.request) : null,
        r.response ? block("Response", r.response) : null)));
  } catch (error) {
    $("#tester-message").textContent = "";
    showError($("#tester-error"), error);
  }
});

sample({ onlyIfEmpty: true }).catch(() => {});
