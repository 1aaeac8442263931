import { get, patch, post } from "./api.js";
import { $, el, showError, switchInput, toast } from "./dom.js";

async function load() {
  const { sources } = await get("/sources");
  $("#sources-empty").hidden = sources.length > 0;
  $("#sources-body").replaceChildren(
    ...sources.map((source) =>
      el("tr", {},
        el("td", {}, el("a", { href: `/sources/${source.id}` }, source.name)),
        el("td", { class: "mono" }, source.slug),
        el("td", {}, switchInput(`Enable ${source.name}`, source.enabled, async (event) => {
          await patch(`/sources/${source.id}`, { enabled: event.target.checked });
          toast(`${source.name} ${event.target.checked ? "enabled" : "disabled"}`);
        })),
      )),
  );
}

$("#create-source").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = event.target.elements.name.value.trim();
  try {
    const source = await post("/sources", { name });
    window.location.assign(`/sources/${source.id}?created=1`);
  } catch (error) {
    showError($("#create-error"), error);
  }
});

load();
