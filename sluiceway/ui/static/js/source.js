import { get, patch } from "./api.js";
import { $, changeText, el, pageData, pretty, samplesCell, toast } from "./dom.js";

const { source_id: sourceId, base_url: baseUrl } = pageData();
let events = [];
let selected = null;

function snippets(writeKey) {
  // analytics.js 2.0 reads its settings from `${cdnURL}/v1/projects/<key>/settings`,
  // which Sluiceway serves pointing back at itself: no code or settings from Segment.
  $("#snippet-js").textContent = `// npm install @segment/analytics-next
import { AnalyticsBrowser } from "@segment/analytics-next";

export const analytics = AnalyticsBrowser.load({
  writeKey: "${writeKey}",
  cdnURL: "${baseUrl}",
});

analytics.page();
analytics.track("Order Completed", { total: 42 });`;
  $("#snippet-python").textContent = `import segment.analytics as analytics

analytics.write_key = "${writeKey}"
analytics.host = "${baseUrl}"
analytics.track("user-1", "Order Completed", {"total": 42})
analytics.flush()`;
  $("#snippet-curl").textContent = `curl ${baseUrl}/v1/track \\
  -u '${writeKey}:' \\
  -H 'Content-Type: application/json' \\
  -d '{"userId": "user-1", "event": "Order Completed", "properties": {"total": 42}}'`;
}

async function loadSource() {
  const source = await get(`/sources/${sourceId}`);
  $("#source-name").textContent = source.name;
  $("#write-key").value = source.write_key;
  $("#source-enabled").checked = source.enabled;
  snippets(source.write_key);
}

$("#source-enabled").addEventListener("change", async (event) => {
  await patch(`/sources/${sourceId}`, { enabled: event.target.checked });
  toast(event.target.checked ? "Source enabled" : "Source disabled");
});

// Failed on ingest happens before any destination sees the event, so the source page
// (not Delivery Overview) is where a rejected event's reason and sample show up.
async function loadIngest() {
  try {
    const data = await get(`/sources/${sourceId}/overview`);
    $("#ingest-received").textContent = String(data.received);
    $("#ingest-failed").textContent = String(data.failed_on_ingest);
    $("#rejects-body").replaceChildren(...data.rejects.map((row) => el("tr", {},
      el("td", {}, row.reason), el("td", {}, String(row.count)),
      el("td", {}, changeText(row.change_percent)), samplesCell(row.samples))));
    $("#ingest-status").textContent = data.rejects.length ? "" : "No events were rejected.";
  } catch (error) {
    $("#ingest-status").textContent = error.message;
  }
}

$("#ingest-refresh").addEventListener("click", loadIngest);

function renderEvents() {
  $("#debugger-list").replaceChildren(
    ...events.map((item, index) =>
      el("li", {},
        el("button", {
          type: "button",
          class: `event-row ${item.verdict === "rejected" ? "bad" : ""}`,
          "aria-pressed": String(selected === index),
          onclick: () => { selected = index; renderEvents(); },
        },
        el("span", { class: "badge" }, item.type || "?"),
        ` ${item.event?.event || item.event_name || ""} `,
        el("span", { class: "muted" }, item.received_at || ""),
        item.reason ? el("span", { class: "error" }, ` ${item.reason}`) : null),
      )),
  );
  const current = events[selected ?? 0];
  $("#debugger-detail").textContent = current ? pretty(current.event ?? current) : "";
}

async function poll() {
  if (!$("#debugger-live").checked && events.length) return;
  const q = encodeURIComponent($("#debugger-search").value.trim());
  try {
    const data = await get(`/sources/${sourceId}/events?limit=50&q=${q}`);
    events = data.events || [];
    $("#debugger-status").textContent = events.length
      ? `${events.length} recent events` : "Waiting for events… send one with a snippet above.";
    renderEvents();
  } catch (error) {
    $("#debugger-status").textContent = error.message;
  }
}

$("#debugger-search").addEventListener("input", () => { events = []; poll(); });
loadSource();
loadIngest();
poll();
setInterval(poll, 2000);
