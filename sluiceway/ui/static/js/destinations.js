import { get, patch } from "./api.js";
import { $, el, switchInput, toast } from "./dom.js";

const { destinations } = await get("/destinations");
$("#destinations-empty").hidden = destinations.length > 0;
$("#destinations-body").replaceChildren(
  ...destinations.map((d) =>
    el("tr", {},
      el("td", {}, el("a", { href: `/destinations/${d.id}/mappings` }, d.name)),
      el("td", {}, d.catalog_name || d.type),
      el("td", {}, switchInput(`Enable ${d.name}`, d.enabled, async (event) => {
        await patch(`/destinations/${d.id}`, { enabled: event.target.checked });
        toast(`${d.name} ${event.target.checked ? "enabled" : "disabled"}`);
      })),
    )),
);
