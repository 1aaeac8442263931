import { del, get, patch, post, put } from "./api.js";
import { $, el, pageData, showError, toast } from "./dom.js";
import { readSettings, renderSettings } from "./settings-form.js";

const { destination: { id } } = pageData();
const destination = await get(`/destinations/${id}`);
const [entry, { sources }] = await Promise.all([get(`/catalog/${destination.type}`), get("/sources")]);
$("#destination-name").value = destination.name;
$("#destination-enabled").checked = destination.enabled;
renderSettings($("#settings-fields"), entry.settings, destination.settings);

$("#destination-enabled").addEventListener("change", async (event) => {
  await patch(`/destinations/${id}`, { enabled: event.target.checked });
  toast(event.target.checked ? "Destination enabled" : "Destination disabled");
});

$("#settings-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  showError($("#settings-error"), null);
  try {
    const saved = await patch(`/destinations/${id}`, {
      name: $("#destination-name").value.trim(),
      settings: readSettings($("#settings-fields")),
    });
    renderSettings($("#settings-fields"), entry.settings, saved.settings);
    toast("Settings saved");
  } catch (error) {
    showError($("#settings-error"), error);
  }
});

$("#test-connection").addEventListener("click", async () => {
  const result = $("#connection-result");
  result.textContent = "Testing…";
  try {
    const answer = await post(`/destinations/${id}/test-connection`, {
      settings: readSettings($("#settings-fields")),
    });
    result.className = answer.ok ? "ok" : "error";
    result.textContent = answer.ok
      ? `Connection successful${answer.message ? `: ${answer.message}` : ""}`
      : `Connection failed (${answer.code}): ${answer.message}`;
  } catch (error) {
    result.className = "error";
    result.textContent = error.message;
  }
});

const connected = new Set(destination.source_ids || []);
$("#source-links").replaceChildren(
  ...sources.map((s) =>
    el("label", {},
      el("input", {
        type: "checkbox", checked: connected.has(s.id),
        onchange: async (event) => {
          const path = `/destinations/${id}/sources/${s.id}`;
          await (event.target.checked ? put(path) : del(path));
          toast(`${s.name} ${event.target.checked ? "connected" : "disconnected"}`);
        },
      }),
      ` ${s.name}`)),
);
