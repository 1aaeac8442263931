// Small DOM helpers shared by the screens.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else if (key === "value") node.value = value;
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

export function pageData() {
  const node = document.getElementById("page-data");
  return node ? JSON.parse(node.textContent) : {};
}

export function pretty(value) {
  return JSON.stringify(value, null, 2);
}

// A reason row's change and samples cells, shared by Delivery Overview and the source page.
export function changeText(percent) {
  return percent === null || percent === undefined ? "—" : `${percent}%`;
}

export function samplesCell(samples) {
  const count = (samples || []).length;
  return el("td", {}, count
    ? el("details", {}, el("summary", {}, `${count} sample${count === 1 ? "" : "s"}`), el("pre", { class: "code" }, pretty(samples)))
    : "—");
}

export function toast(message) {
  const node = document.getElementById("toast");
  if (!node) return;
  node.textContent = message;
  node.classList.add("shown");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => node.classList.remove("shown"), 3000);
}

export function showError(node, error) {
  node.textContent = error ? error.message || String(error) : "";
}

// Resolves with the dialog's returnValue ("ok" or "cancel").
export function ask(dialog) {
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true });
    dialog.returnValue = "cancel";
    dialog.showModal();
  });
}

// Every path in an event, for the field pickers ("properties.size/color", "context.ip"...).
export function eventPaths(value, prefix = "", out = []) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      out.push(path);
      eventPaths(child, path, out);
    }
  }
  return out;
}

export function switchInput(label, checked, onchange) {
  return el("input", { type: "checkbox", role: "switch", "aria-label": label, checked, onchange });
}

// replaceChildren that skips null/false children (conditional parts of a view).
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
}
