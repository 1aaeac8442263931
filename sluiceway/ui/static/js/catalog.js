import { get } from "./api.js";
import { $, el } from "./dom.js";

const { destinations } = await get("/catalog");
$("#catalog-list").replaceChildren(
  ...destinations.map((item) =>
    el("li", { class: "card" },
      el("h2", {}, el("a", { href: `/catalog/${item.slug}` }, item.name)),
      el("p", {}, item.description),
      el("p", { class: "muted" }, `Actions: ${Object.values(item.actions).map((a) => a.title).join(", ")}`),
      el("a", { class: "button", href: `/catalog/${item.slug}`, "aria-label": `Configure ${item.name}` }, "Configure"),
    )),
);
