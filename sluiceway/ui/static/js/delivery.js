import { get, post } from "./api.js";
import { $, changeText, el, pageData, samplesCell } from "./dom.js";

const { destination: { id } } = pageData();
const SVG = "http://www.w3.org/2000/svg";

function range() {
  const end = new Date();
  const start = new Date(end.getTime() - Number($("#delivery-range").value) * 1000);
  return { start: start.toISOString(), end: end.toISOString() };
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// Delivered (green) and failed (red) per time bucket, as two polylines.
function chart(points) {
  const width = 640, height = 180, pad = 28;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "presentation" });
  const max = Math.max(1, ...points.flatMap((p) => [p.delivered, p.failed]));
  const x = (i) => pad + (points.length < 2 ? 0 : (i * (width - 2 * pad)) / (points.length - 1));
  const y = (v) => height - pad - (v * (height - 2 * pad)) / max;
  root.append(svg("line", { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, class: "axis" }));
  root.append(svg("text", { x: 2, y: pad, class: "tick" }, String(max)));
  for (const [key, cls] of [["delivered", "line-ok"], ["failed", "line-bad"]]) {
    root.append(svg("polyline", { class: cls, fill: "none", points: points.map((p, i) => `${x(i)},${y(p[key])}`).join(" ") }));
  }
  root.append(svg("text", { x: width - pad - 150, y: 14, class: "legend-ok" }, "■ delivered"),
    svg("text", { x: width - pad - 60, y: 14, class: "legend-bad" }, "■ failed"));
  return root;
}

async function loadMappings() {
  const { mappings } = await get(`/destinations/${id}/mappings`);
  $("#delivery-mapping").append(...mappings.map((m) => el("option", { value: m.id }, m.name)));
}

async function load() {
  const { start, end } = range();
  const mapping = $("#delivery-mapping").value;
  const query = `start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}&mapping_id=${encodeURIComponent(mapping)}`;
  try {
    const data = await get(`/destinations/${id}/delivery-overview?${query}`);
    $("#delivery-status").textContent = "";
    $("#delivery-steps").replaceChildren(...data.steps.map((s) =>
      el("li", { class: "step" }, el("strong", {}, s.label || s.step), el("span", { class: "count" }, String(s.count)),
        el("span", { class: "muted" }, s.percent === null || s.percent === undefined ? "" : `${Number(s.percent).toFixed(1)}%`))));
    const rows = [...(data.discards || []), ...(data.failures || [])];
    const labels = Object.fromEntries(data.steps.map((s) => [s.step, s.label || s.step]));
    $("#discards-body").replaceChildren(...rows.map((d) => el("tr", {},
      el("td", {}, labels[d.step] || d.step), el("td", {}, d.reason), el("td", {}, String(d.count)),
      el("td", {}, changeText(d.change_percent)), samplesCell(d.samples))));
    $("#delivery-chart").replaceChildren(chart(data.timeseries || []));
  } catch (error) {
    $("#delivery-status").textContent = error.message;
  }
  try {
    const { events } = await get(`/destinations/${id}/failed-events?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`);
    $("#failed-body").replaceChildren(...events.map((e) => el("tr", {},
      el("td", {}, e.failed_at), el("td", {}, e.reason), el("td", { class: "mono" }, e.message_id), el("td", {}, String(e.attempts)),
      el("td", {}, el("button", { type: "button", "aria-label": `Replay ${e.message_id}`, onclick: () => replay({ ids: [e.id] }) }, "Replay")))));
    $("#replay-all").disabled = events.length === 0;
  } catch (error) {
    $("#replay-all").disabled = true;
    $("#replay-status").textContent = error.message;
  }
}

async function replay(body) {
  try {
    const { replayed } = await post(`/destinations/${id}/failed-events/replay`, body);
    $("#replay-status").textContent = `Replayed ${replayed} event${replayed === 1 ? "" : "s"}.`;
  } catch (error) {
    $("#replay-status").textContent = error.message;
  }
  await load();
}

$("#replay-all").addEventListener("click", () => replay(range()));
$("#delivery-range").addEventListener("change", load);
$("#delivery-mapping").addEventListener("change", load);
$("#delivery-refresh").addEventListener("click", load);
await loadMappings();
await load();
setInterval(load, 10000);
