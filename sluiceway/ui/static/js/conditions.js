// The condition builder: one ALL/ANY group of conditions, with the operators
// sluiceway.triggers offers for each kind and data type (the page embeds that table).
import { el, fill } from "./dom.js";

function typeOf(value) {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return "number";
  return "string";
}

export class ConditionBuilder {
  constructor(container, vocabulary, { prefix = "trigger", max = null } = {}) {
    this.container = container;
    this.vocabulary = vocabulary;
    this.prefix = prefix;
    this.max = max;
    this.match = "all";
    this.rows = [];
    this.errors = [];
  }

  set(model) {
    this.match = model?.match || "all";
    this.rows = (model?.conditions || []).map((c) => ({
      kind: c.kind, field: c.field || "", operator: c.operator,
      dataType: typeOf(c.value), value: c.value === undefined || c.value === null ? "" : String(c.value),
    }));
    this.render();
  }

  add() {
    this.rows.push({ kind: "event_type", field: "", operator: "is", dataType: "string", value: "track" });
    this.render();
  }

  operators(row) {
    const offered = this.vocabulary.operators[row.kind];
    return Array.isArray(offered) ? offered : offered[row.dataType];
  }

  model() {
    return {
      match: this.match,
      conditions: this.rows.map((row) => {
        const condition = { kind: row.kind, operator: row.operator };
        if (row.field) condition.field = row.field;
        if (!this.vocabulary.no_value.includes(row.operator)) {
          condition.value = row.dataType === "number" && row.value !== "" && !Number.isNaN(Number(row.value))
            ? Number(row.value) : row.value;
        }
        return condition;
      }),
    };
  }

  showErrors(message) {
    // The API names the rule ("condition 2: …"): put each message beside its row.
    this.errors = [];
    for (const part of (message || "").split("; ")) {
      const found = /condition (\d+): (.*)/.exec(part);
      if (found) this.errors[Number(found[1]) - 1] = found[2];
    }
    this.render();
    return this.errors.some(Boolean);
  }

  render() {
    const p = this.prefix;
    const matchSelect = el("select", {
      "aria-label": "Match", onchange: (e) => { this.match = e.target.value; },
    }, el("option", { value: "all", selected: this.match === "all" }, "ALL"),
       el("option", { value: "any", selected: this.match === "any" }, "ANY"));
    const rows = this.rows.map((row, index) => this.renderRow(row, index));
    const full = this.max !== null && this.rows.length >= this.max;
    fill(this.container, 
      el("div", { class: "row" }, el("span", {}, "If"), matchSelect, el("span", {}, "of the following conditions are met")),
      el("ol", { class: "conditions", "aria-label": "Conditions", id: `${p}-conditions` }, ...rows),
      el("button", { type: "button", onclick: () => this.add(), disabled: full }, "Add condition"),
      full ? el("small", { class: "muted" }, ` At most ${this.max} conditions per trigger.`) : null,
    );
  }

  renderRow(row, index) {
    const n = index + 1;
    const rerender = () => this.render();
    const kind = el("select", {
      "aria-label": `Condition ${n} kind`,
      onchange: (e) => {
        row.kind = e.target.value;
        row.operator = this.operators(row)[0];
        if (row.kind === "event_type") row.value = "track";
        rerender();
      },
    }, ...this.vocabulary.kinds.map((k) => el("option", { value: k.kind, selected: k.kind === row.kind }, k.label)));
    const hasField = !["event_type", "event_name"].includes(row.kind);
    const field = hasField ? el("input", {
      "aria-label": `Condition ${n} field`, value: row.field, placeholder: "property name",
      oninput: (e) => { row.field = e.target.value; },
    }) : null;
    const dataType = hasField ? el("select", {
      "aria-label": `Condition ${n} data type`,
      onchange: (e) => {
        row.dataType = e.target.value;
        if (!this.operators(row).includes(row.operator)) row.operator = this.operators(row)[0];
        rerender();
      },
    }, ...["string", "number", "boolean"].map((t) => el("option", { value: t, selected: t === row.dataType }, t))) : null;
    const operator = el("select", {
      "aria-label": `Condition ${n} operator`,
      onchange: (e) => { row.operator = e.target.value; rerender(); },
    }, ...this.operators(row).map((o) => el("option", { value: o, selected: o === row.operator }, o)));
    let value = null;
    if (!this.vocabulary.no_value.includes(row.operator)) {
      value = row.kind === "event_type"
        ? el("select", { "aria-label": `Condition ${n} value`, onchange: (e) => { row.value = e.target.value; } },
            ...this.vocabulary.event_types.map((t) => el("option", { value: t, selected: t === row.value }, t)))
        : el("input", {
            "aria-label": `Condition ${n} value`, value: row.value,
            type: row.dataType === "number" ? "number" : "text",
            oninput: (e) => { row.value = e.target.value; },
          });
    }
    const remove = el("button", {
      type: "button", "aria-label": `Remove condition ${n}`,
      onclick: () => { this.rows.splice(index, 1); this.errors.splice(index, 1); rerender(); },
    }, "×");
    const error = this.errors[index];
    return el("li", { class: "condition" },
      el("div", { class: "row" }, kind, field, dataType, operator, value, remove),
      error ? el("p", { class: "error", role: "alert" }, error) : null);
  }
}
