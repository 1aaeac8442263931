import { get, post } from "./api.js";
import { $, el, pageData, showError } from "./dom.js";
import { readSettings, renderSettings } from "./settings-form.js";

const { slug } = pageData();
const [entry, { sources }] = await Promise.all([get(`/catalog/${slug}`), get("/sources")]);
$("#entry-name").textContent = entry.name;
$("#entry-description").textContent = entry.description;
document.title = `${entry.name} · Sluiceway`;
$("#add-destination").elements.name.value = entry.name;
$("#entry-actions").replaceChildren(
  ...Object.values(entry.actions).map((a) => el("li", {}, el("strong", {}, a.title), ` — ${a.description}`)),
);
$("#source-choices").replaceChildren(
  ...(sources.length
    ? sources.map((s) => el("label", {}, el("input", { type: "checkbox", name: "source", value: s.id }), ` ${s.name}`))
    : [el("p", { class: "muted" }, "No sources yet: ", el("a", { href: "/sources" }, "create one"), ".")]),
);
renderSettings($("#settings-fields"), entry.settings);

$("#add-destination").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  try {
    const destination = await post("/destinations", {
      name: form.elements.name.value.trim(),
      type: slug,
      settings: readSettings($("#settings-fields")),
      source_ids: [...form.querySelectorAll('input[name="source"]:checked')].map((i) => i.value),
    });
    window.location.assign(`/destinations/${destination.id}/mappings`);
  } catch (error) {
    showError($("#add-error"), error);
  }
});
