// The settings form of a destination type, generated from the catalog's setting fields.
import { el } from "./dom.js";

export const SECRET_MASK = "••••••••••"; // sluiceway.store.SECRET_MASK

export function renderSettings(container, fields, values = {}) {
  container.replaceChildren();
  for (const [key, field] of Object.entries(fields)) {
    const id = `setting-${key}`;
    const current = values[key] ?? field.default;
    let input;
    if (field.choices?.length) {
      input = el("select", { id, name: key },
        ...field.choices.map((c) => el("option", { value: c.value, selected: c.value === current }, c.label)));
    } else if (field.type === "boolean") {
      input = el("input", { id, name: key, type: "checkbox", checked: Boolean(current) });
    } else {
      input = el("input", {
        id, name: key,
        type: field.type === "password" || field.secret ? "password" : field.type === "number" ? "number" : "text",
        value: current ?? "",
        required: Boolean(field.required) && current !== SECRET_MASK,
        autocomplete: "off",
        placeholder: current === SECRET_MASK ? "stored (hidden): type to replace" : "",
      });
    }
    input.dataset.type = field.type;
    container.append(
      el("div", { class: "field" },
        el("label", { for: id }, field.label + (field.required ? " *" : "")),
        input,
        field.description ? el("small", { class: "muted" }, field.description) : null),
    );
  }
}

export function readSettings(container) {
  const settings = {};
  for (const input of container.querySelectorAll("[name]")) {
    const type = input.dataset.type;
    if (input.type === "checkbox") settings[input.name] = input.checked;
    else if (input.value === "") continue;
    else if (type === "number" || type === "integer") settings[input.name] = Number(input.value);
    else settings[input.name] = input.value;
  }
  return settings;
}
