// The host console: drives the host API with the session cookie and refreshes from the polling endpoints.
// Everything that comes from the server is written as text (textContent), never parsed as HTML: product
// names are typed by manufacturers' staff, and the page's Content-Security-Policy allows no inline script.
"use strict";

const sessionId = Number(document.getElementById("session").dataset.session);
const csrf = document.cookie.split("; ").find(c => c.startsWith("csrftoken="))?.split("=")[1] || "";

function byId(id) { return document.getElementById(id); }

function element(tag, props, children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children || []) node.append(child);
  return node;
}

async function call(path, body) {
  const response = await fetch(`/api/v1/host/${path}`, {method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}, body: JSON.stringify(body || {})});
  const data = await response.json().catch(() => ({}));
  byId("error").textContent = response.ok ? "" : (data.error?.message || "Failed");
  refresh();
  return data;
}

// The server's clock minus this phone's, from the state's server_time: countdowns run on the server's clock.
let clockOffset = 0;
function serverNow() { return Date.now() + clockOffset; }

function countdown(isoMoment) {
  const seconds = Math.max(0, Math.round((Date.parse(isoMoment) - serverNow()) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function dealCard(deal) {
  const end = element("button", {type: "button", className: "secondary", textContent: "End deal"});
  end.addEventListener("click", () => call(`deals/${deal.id}/end/`));
  const clock = element("span", {className: "clock", textContent: countdown(deal.ends_at)});
  clock.dataset.until = deal.ends_at;
  const card = element("div", {className: deal.sold_out ? "card sold-out" : "card"}, [
    element("span", {className: "big remaining", textContent: String(deal.remaining)}),
    ` left · ${deal.name} at ${deal.price.amount} ${deal.price.currency} `,
    deal.sold_out ? element("span", {className: "badge", textContent: "SOLD OUT"}) : "",
    element("div", {className: "claims",
      textContent: `${deal.held} held in checkout · ${deal.sold} of ${deal.units} sold` +
        (deal.waitlist ? ` · ${deal.waitlist} waiting` : "")}),
    element("div", {className: "sizes",
      textContent: (deal.sizes || []).map(size => `size ${size.size_label}: ${size.remaining} left`).join(" · ")}),
    element("div", {}, ["ends in ", clock]),
    end,
  ]);
  card.dataset.deal = String(deal.id);
  return card;
}

function upcomingCard(deal) {
  const clock = element("span", {className: "big clock", textContent: countdown(deal.starts_at)});
  clock.dataset.until = deal.starts_at;
  const card = element("div", {className: "card upcoming"}, [
    "starts in ", clock, ` · ${deal.name}, ${deal.units} at ${deal.price.amount} ${deal.price.currency}`,
  ]);
  card.dataset.deal = String(deal.id);
  return card;
}

function tick() {
  for (const clock of document.querySelectorAll(".clock")) clock.textContent = countdown(clock.dataset.until);
}

function orderItem(order) {
  return element("li", {textContent: `${order.number} · ${order.product} × ${order.quantity}`});
}

let etag = null;
async function refresh() {
  const state = await fetch(`/api/v1/live/sessions/${sessionId}/state/`, {headers: etag ? {"If-None-Match": etag} : {}});
  if (state.status === 200) {
    etag = state.headers.get("ETag");
    const s = await state.json();
    clockOffset = Date.parse(s.server_time) - Date.now();
    byId("status").textContent = s.status;
    byId("pinned").textContent = s.pinned ? s.pinned.name : "-";
    byId("deals").replaceChildren(...s.deals.map(dealCard), ...s.upcoming_deals.map(upcomingCard));
  }
  const orders = await fetch(`/api/v1/host/sessions/${sessionId}/orders/`, {credentials: "same-origin"});
  if (orders.ok) {
    const o = await orders.json();
    byId("order-count").textContent = o.orders;
    byId("units").textContent = o.units;
    byId("orders").replaceChildren(...o.recent.map(orderItem));
  }
}

byId("go-live").addEventListener("click", () => call(`sessions/${sessionId}/go-live/`));
byId("end-session").addEventListener("click", () => call(`sessions/${sessionId}/end/`));
byId("pin").addEventListener("click", () => call(`sessions/${sessionId}/pin/`,
  {lineup_item: Number(byId("lineup").value)}));
byId("launch").addEventListener("click", () => {
  // Announced ahead: buyers count down to the start, so the deal opens for all at once whatever their video lag.
  const lead = Number(byId("deal-lead").value || 0);
  call(`sessions/${sessionId}/deals/`, {
    lineup_item: Number(byId("lineup").value),
    deal_price: byId("deal-price").value, quantity_cap: Number(byId("deal-cap").value),
    per_buyer_limit: Number(byId("deal-limit").value),
    duration_minutes: Number(byId("deal-minutes").value),
    ...(lead > 0 ? {starts_at: new Date(serverNow() + lead * 1000).toISOString()} : {})});
});
refresh();
setInterval(refresh, 2000);
setInterval(tick, 250);
