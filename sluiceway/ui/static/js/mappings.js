import { del, get, patch, post } from "./api.js";
import { $, ask, el, pageData, showError, switchInput, toast } from "./dom.js";

const { destination: { id } } = pageData();
const status = $("#mappings-status");

function menu(mapping) {
  const list = el("div", { class: "menu-items", role: "menu", hidden: true });
  const button = el("button", {
    type: "button", class: "menu-button", "aria-haspopup": "menu", "aria-expanded": "false",
    "aria-label": `More actions for ${mapping.name}`,
    onclick: () => {
      const open = list.hidden;
      document.querySelectorAll(".menu-items").forEach((m) => { m.hidden = true; });
      list.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      if (open) list.querySelector("[role=menuitem]").focus();
    },
  }, "…");
  const item = (label, action) => el("button", {
    type: "button", role: "menuitem",
    onclick: async () => { list.hidden = true; button.setAttribute("aria-expanded", "false"); await run(action); },
  }, label);
  list.append(
    item("Edit", () => window.location.assign(`/destinations/${id}/mappings/${mapping.id}`)),
    item("Duplicate", async () => {
      $("#duplicate-name").textContent = mapping.name;
      if (await ask($("#duplicate-dialog")) !== "ok") return;
      const copy = await post(`/mappings/${mapping.id}/duplicate`);
      toast(`Created ${copy.name} (disabled)`);
    }),
    item("Rename", async () => {
      $("#rename-input").value = mapping.name;
      if (await ask($("#rename-dialog")) !== "ok") return;
      await patch(`/mappings/${mapping.id}`, { name: $("#rename-input").value.trim() });
      toast("Mapping renamed");
    }),
    item("Delete", async () => {
      $("#delete-name").textContent = mapping.name;
      if (await ask($("#delete-dialog")) !== "ok") return;
      await del(`/mappings/${mapping.id}`);
      toast(`Deleted ${mapping.name}`);
    }),
  );
  return el("div", { class: "menu" }, button, list);
}

async function run(action) {
  showError(status, null);
  try {
    await action();
  } catch (error) {
    showError(status, error);
  }
  await load();
}

function row(mapping, index, all) {
  const move = (direction) => run(() => post(`/mappings/${mapping.id}/move`, { direction }));
  return el("tr", { "data-mapping-id": mapping.id },
    el("td", { class: "order" },
      el("button", { type: "button", "aria-label": `Move ${mapping.name} up`, disabled: index === 0, onclick: () => move("up") }, "↑"),
      el("button", { type: "button", "aria-label": `Move ${mapping.name} down`, disabled: index === all.length - 1, onclick: () => move("down") }, "↓")),
    el("td", {}, el("a", { href: `/destinations/${id}/mappings/${mapping.id}` }, mapping.name)),
    el("td", { class: "summary" }, mapping.trigger_summary),
    el("td", {}, mapping.action),
    el("td", {}, el("label", { class: "switch" },
      switchInput(`Enable ${mapping.name}`, mapping.enabled, (event) =>
        run(() => patch(`/mappings/${mapping.id}`, { enabled: event.target.checked }))),
      mapping.enabled ? " Enabled" : " Disabled")),
    el("td", {}, menu(mapping)),
  );
}

async function load() {
  const { mappings, limit } = await get(`/destinations/${id}/mappings`);
  $("#mappings-body").replaceChildren(...mappings.map(row));
  $("#mappings-empty").hidden = mappings.length > 0;
  const full = mappings.length >= limit;
  $("#new-mapping").disabled = full;
  $("#quick-setup").disabled = full;
  $("#limit-message").hidden = !full;
  $("#limit-message").textContent = full
    ? `This destination has reached the limit of ${limit} mappings: delete one to add another.` : "";
}

$("#new-mapping").addEventListener("click", () => {
  window.location.assign(`/destinations/${id}/mappings/new`);
});

$("#quick-setup").addEventListener("click", () => run(async () => {
  const { mappings } = await post(`/destinations/${id}/quick-setup`);
  toast(mappings.length
    ? `Quick Setup added ${mappings.length} mappings`
    : "This destination has no presets: create a mapping with New Mapping.");
  status.textContent = mappings.length ? "" : "This destination has no presets: create a mapping with New Mapping.";
}));

document.addEventListener("click", (event) => {
  if (!event.target.closest(".menu")) document.querySelectorAll(".menu-items").forEach((m) => { m.hidden = true; });
});

load();
