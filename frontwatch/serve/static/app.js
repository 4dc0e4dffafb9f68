// frontwatch map page: control over time, a place's timeline, events and their articles.
// Plain ES module; Leaflet (L) and topojson-client (topojson) are vendored globals.

const $ = (sel) => document.querySelector(sel);
const DAY = 86400000;
const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
  "#9a6324", "#800000", "#469990", "#000075", "#808000", "#bfef45", "#fabed4"];
const EVENT_TYPES = ["territory_change", "battle", "siege", "offensive_start", "withdrawal", "agreement",
  "statement", "force_estimate", "attack", "other"];
const STATUSES = ["confirmed", "claimed", "disputed", "planned", "negated"];

const state = { first: null, last: null, day: null, colours: new Map(), markers: new Map(),
  offset: 0, limit: 25, filters: {}, playing: null, requestId: 0 };

// ---- helpers ---------------------------------------------------------------------------------

async function getJSON(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const parse = (day) => Date.parse(day + "T00:00:00Z");

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child ?? "");
  return node;
}

function colour(actor) {
  if (!actor) return "#777";
  if (!state.colours.has(actor.id)) {
    const n = state.colours.size;
    // the palette first, then hues spread by the golden angle
    state.colours.set(actor.id, n < PALETTE.length ? PALETTE[n] : `hsl(${(n * 137.5) % 360}, 65%, 45%)`);
  }
  return state.colours.get(actor.id);
}

function showError(error) {
  const box = $("#error");
  box.textContent = String(error.message || error);
  box.hidden = false;
}

// ---- the map ---------------------------------------------------------------------------------

const map = L.map("map", { worldCopyJump: true, attributionControl: true }).setView([20, 20], 2);
map.attributionControl.addAttribution("Borders: Natural Earth (via world-atlas)");
window.frontwatch = { map, state }; // for the browser console (and screenshots)

async function drawBorders() {
  const world = await getJSON("/static/vendor/world-atlas/countries-50m.json");
  const countries = topojson.feature(world, world.objects.countries);
  L.geoJSON(countries, {
    style: { color: "#8a8a8a", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 },
    interactive: false,
  }).addTo(map);
}

async function showControl(day) {
  const request = ++state.requestId;
  const collection = await getJSON(`/control?at=${day}`);
  if (request !== state.requestId) return; // a later date was asked for meanwhile
  const seen = new Set();
  const legend = new Map();
  for (const feature of collection.features) {
    const p = feature.properties;
    seen.add(feature.id);
    legend.set(p.controller.id, p.controller);
    if (!feature.geometry) continue; // kept by name only: no coordinates to draw
    const [lon, lat] = feature.geometry.coordinates;
    let marker = state.markers.get(feature.id);
    if (!marker) {
      marker = L.circleMarker([lat, lon], { radius: 9, weight: 2, color: "#222", fillOpacity: 0.9,
        className: "fw-place" }).addTo(map);
      marker.on("click", () => openPlace(feature.id));
      state.markers.set(feature.id, marker);
      marker.getElement().setAttribute("data-place-id", feature.id);
    }
    const dashed = p.status !== "confirmed" || p.contested.length ? "4 3" : null;
    marker.setStyle({ fillColor: colour(p.controller), dashArray: dashed });
    const node = marker.getElement();
    node.setAttribute("data-controller", p.controller.name);
    node.setAttribute("data-place-name", p.place.name);
    marker.bindTooltip(`<b>${escapeHtml(p.place.name)}</b><br>${escapeHtml(p.controller.name)} since ${p.since ?? "?"}` +
      ` (${p.status}, ${p.evidence_count} report${p.evidence_count === 1 ? "" : "s"})`);
  }
  for (const [id, marker] of state.markers) {
    if (!seen.has(id)) { marker.remove(); state.markers.delete(id); }
  }
  drawLegend(legend, collection.features);
  $("#status").textContent = `${collection.features.length} places on ${day}`;
  document.body.setAttribute("data-day", day); // the map now shows this day
}

function drawLegend(actors, features) {
  const list = $("#legend-items");
  list.replaceChildren();
  for (const actor of [...actors.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const places = features.filter((f) => f.properties.controller.id === actor.id).map((f) => f.properties.place.name);
    list.append(el("li", { "data-actor-id": actor.id, title: places.join(", ") },
      el("span", { class: "swatch", style: `background:${colour(actor)}` }), `${actor.name} (${places.length})`));
  }
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// ---- the date: slider, date box, play ----------------------------------------------------------

function setDay(day, fromSlider = false) {
  state.day = day;
  $("#date").value = day;
  if (!fromSlider) $("#slider").value = Math.round((parse(day) - parse(state.first)) / DAY);
  return showControl(day).catch(showError);
}

$("#slider").addEventListener("input", (e) => setDay(iso(parse(state.first) + Number(e.target.value) * DAY), true));
$("#date").addEventListener("change", (e) => { if (e.target.value) setDay(e.target.value); });
$("#play").addEventListener("click", () => {
  if (state.playing) { stopPlaying(); return; }
  const slider = $("#slider");
  const step = Math.max(1, Math.round(Number(slider.max) / 150));
  if (Number(slider.value) >= Number(slider.max)) slider.value = 0;
  $("#play").textContent = "❚❚";
  state.playing = setInterval(() => {
    const next = Math.min(Number(slider.max), Number(slider.value) + step);
    slider.value = next;
    setDay(iso(parse(state.first) + next * DAY), true);
    if (next >= Number(slider.max)) stopPlaying();
  }, 200);
});

function stopPlaying() {
  clearInterval(state.playing);
  state.playing = null;
  $("#play").textContent = "▶";
}

// ---- a place: timeline chart and events -----------------------------------------------------------

async function openPlace(placeId) {
  const data = await getJSON(`/places/${encodeURIComponent(placeId)}/timeline`);
  const panel = $("#place-panel");
  panel.hidden = false;
  panel.setAttribute("data-place-id", placeId);
  $("#place-name").textContent = `${data.place.name}${data.place.country ? ` (${data.place.country})` : ""}`;
  const now = data.intervals.find((i) => (!i.since || i.since <= state.day) && (!i.until || state.day <= i.until));
  $("#place-now").textContent = now ? `On ${state.day}: ${now.controller.name} (${now.status})` : `On ${state.day}: unknown`;
  $("#timeline").replaceChildren(timelineChart(data.intervals));
  const list = $("#place-events");
  list.replaceChildren();
  for (const event of data.events) {
    list.append(el("li", { "data-event-id": event.id, onclick: () => openArticle(event) },
      `${dateText(event.date)} · ${event.type} · ${event.actor1?.name ?? "?"} — ${event.evidence.sentence}`));
  }
  if (!data.events.length) list.append(el("li", {}, "no events stored here"));
}

function timelineChart(intervals) {
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  const width = 600, rowHeight = 22, top = 4, axis = 18;
  const rows = intervals.some((i) => i.status !== "confirmed") ? 2 : 1;
  const height = top + rows * (rowHeight + 4) + axis;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  if (!intervals.length) {
    const t = document.createElementNS(NS, "text");
    t.setAttribute("x", 4); t.setAttribute("y", 16); t.textContent = "no control reported";
    svg.append(t);
    return svg;
  }
  const starts = intervals.map((i) => parse(i.since ?? state.first));
  const ends = intervals.map((i) => parse(i.until ?? state.last));
  const lo = Math.min(...starts), hi = Math.max(...ends, lo + DAY);
  const x = (ms) => ((ms - lo) / (hi - lo)) * (width - 2);
  intervals.forEach((interval, k) => {
    const row = interval.status === "confirmed" ? 0 : 1;
    const rect = document.createElementNS(NS, "rect");
    const x0 = x(starts[k]), x1 = Math.max(x(ends[k] + DAY), x0 + 3);
    rect.setAttribute("x", x0); rect.setAttribute("y", top + row * (rowHeight + 4));
    rect.setAttribute("width", x1 - x0); rect.setAttribute("height", rowHeight);
    rect.setAttribute("fill", colour(interval.controller));
    rect.setAttribute("opacity", row ? 0.55 : 0.9);
    rect.setAttribute("class", "fw-interval");
    rect.setAttribute("data-controller", interval.controller.name);
    const title = document.createElementNS(NS, "title");
    title.textContent = `${interval.controller.name}: ${interval.since ?? "…"} – ${interval.until ?? "…"} (${interval.status}, ${interval.basis})`;
    rect.append(title);
    svg.append(rect);
    if (x1 - x0 > 60) {
      const label = document.createElementNS(NS, "text");
      label.setAttribute("x", x0 + 3); label.setAttribute("y", top + row * (rowHeight + 4) + 15);
      label.setAttribute("font-size", 11); label.setAttribute("fill", "#fff");
      label.textContent = interval.controller.name;
      svg.append(label);
    }
  });
  for (const [ms, anchor] of [[lo, "start"], [hi, "end"]]) {
    const t = document.createElementNS(NS, "text");
    t.setAttribute("x", anchor === "start" ? 1 : width - 1); t.setAttribute("y", height - 4);
    t.setAttribute("font-size", 11); t.setAttribute("text-anchor", anchor);
    t.textContent = iso(ms);
    svg.append(t);
  }
  if (state.day) { // where the slider is
    const line = document.createElementNS(NS, "line");
    const at = x(parse(state.day));
    line.setAttribute("x1", at); line.setAttribute("x2", at); line.setAttribute("y1", 0);
    line.setAttribute("y2", height - axis); line.setAttribute("stroke", "#000"); line.setAttribute("stroke-dasharray", "3 2");
    svg.append(line);
  }
  return svg;
}

function dateText(date) {
  if (!date.start) return "undated";
  return date.start === date.end ? date.start : `${date.start}…${date.end}`;
}

// ---- an article with its evidence ------------------------------------------------------------------

async function openArticle(event) {
  const doc = await getJSON(`/documents/${encodeURIComponent(event.evidence.document)}`);
  const modal = $("#article");
  modal.hidden = false;
  modal.setAttribute("data-event-id", event.id);
  $("#article-title").textContent = doc.document.title || doc.document.id;
  $("#article-meta").textContent = [doc.document.published && `published ${doc.document.published}`,
    doc.document.site, doc.document.url].filter(Boolean).join(" · ");
  const facts = $("#article-facts");
  facts.replaceChildren();
  const row = (k, v) => facts.append(el("dt", {}, k), el("dd", {}, v));
  row("event", `${event.type} (${event.status}), ACLED: ${event.acled?.sub_event_type ?? "?"}`);
  row("actors", [event.actor1, event.actor2].filter(Boolean).map((a) => a.name).join(" vs ") || "—");
  row("place", event.place ? event.place.name : "—");
  row("date", `${dateText(event.date)} (${event.date.precision})`);
  const chosen = doc.facts.find((f) => f.kind === "event" && f.id === event.id)
    ?? doc.facts.find((f) => f.sentence === event.evidence.sentence);
  $("#article-text").replaceChildren(...highlighted(doc.text, doc.facts, chosen));
  document.querySelector("#article .fw-evidence")?.scrollIntoView({ block: "center" });
}

// The text cut at every span boundary; each piece knows which spans cover it.
function highlighted(text, facts, chosen) {
  const spans = [];
  for (const f of facts) if (f.start != null) spans.push({ start: f.start, end: f.end, cls: f === chosen ? "fw-evidence" : "fw-fact" });
  for (const m of chosen?.marks ?? []) spans.push({ start: m.start, end: m.end, cls: `fw-mark fw-mark-${m.kind}`, title: `${m.kind}: ${m.ref}` });
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  const pieces = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [a, b] = [cuts[k], cuts[k + 1]];
    const covering = spans.filter((s) => s.start <= a && b <= s.end);
    if (!covering.length) { pieces.push(document.createTextNode(text.slice(a, b))); continue; }
    const classes = new Set(covering.map((s) => s.cls));
    if (classes.has("fw-evidence")) classes.delete("fw-fact");
    const title = covering.find((s) => s.title)?.title;
    pieces.push(el("span", { class: [...classes].join(" "), ...(title ? { title } : {}) }, text.slice(a, b)));
  }
  return pieces;
}

// ---- the event table ----------------------------------------------------------------------------------

function fillSelect(name, values) {
  const select = document.querySelector(`#filters [name=${name}]`);
  for (const v of values) select.append(el("option", { value: v }, v));
}

async function loadEvents() {
  const params = new URLSearchParams({ limit: state.limit, offset: state.offset });
  for (const [k, v] of Object.entries(state.filters)) if (v) params.set(k, v);
  $("#error").hidden = true;
  let page;
  try { page = await getJSON(`/events?${params}`); } catch (error) { showError(error); return; }
  const body = $("#events tbody");
  body.replaceChildren();
  for (const event of page.events) {
    body.append(el("tr", { "data-event-id": event.id, onclick: () => openArticle(event), title: event.evidence.sentence },
      el("td", {}, dateText(event.date)), el("td", {}, event.type), el("td", {}, event.actor1?.name ?? "—"),
      el("td", {}, event.place?.name ?? "—"), el("td", {}, event.status)));
  }
  if (!page.events.length) body.append(el("tr", {}, el("td", { colspan: 5 }, "no events match")));
  $("#prev").disabled = state.offset === 0;
  $("#next").disabled = page.next_offset == null;
  $("#page").textContent = `${state.offset + 1}–${state.offset + page.events.length}`;
}

$("#filters").addEventListener("submit", (e) => {
  e.preventDefault();
  state.filters = Object.fromEntries(new FormData(e.target));
  state.offset = 0;
  loadEvents();
});
$("#prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - state.limit); loadEvents(); });
$("#next").addEventListener("click", () => { state.offset += state.limit; loadEvents(); });
for (const button of document.querySelectorAll("[data-close]")) {
  button.addEventListener("click", () => { $(`#${button.dataset.close}`).hidden = true; });
}
$("#article").addEventListener("click", (e) => { if (e.target.id === "article") e.target.hidden = true; });
document.addEventListener("keydown", (e) => { if (e.key === "Escape") $("#article").hidden = true; });

// ---- start ------------------------------------------------------------------------------------------

async function start() {
  const meta = await getJSON("/meta");
  fillSelect("type", EVENT_TYPES);
  fillSelect("status", STATUSES);
  fillSelect("acled", meta.acled_sub_types);
  // colours follow the actor list, so an actor keeps its colour from day to day
  for (const actor of await getJSON("/actors")) colour(actor);
  state.first = meta.first ?? iso(Date.now());
  state.last = meta.last ?? state.first;
  const slider = $("#slider");
  slider.max = Math.round((parse(state.last) - parse(state.first)) / DAY);
  $("#date").min = state.first;
  $("#date").max = state.last;
  await drawBorders().catch(showError);
  await setDay(state.last);
  await loadEvents();
  document.body.setAttribute("data-ready", "true");
}

start().catch(showError);
