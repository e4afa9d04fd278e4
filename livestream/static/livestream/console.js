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

function dealCard(deal) {
  const end = element("button", {type: "button", className: "secondary", textContent: "End deal"});
  end.addEventListener("click", () => call(`deals/${deal.id}/end/`));
  const card = element("div", {className: "card"}, [
    element("span", {className: "big remaining", textContent: String(deal.remaining)}),
    ` left · ${deal.name} at ${deal.price.amount} ${deal.price.currency} `,
    end,
  ]);
  card.dataset.deal = String(deal.id);
  return card;
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
    byId("status").textContent = s.status;
    byId("pinned").textContent = s.pinned ? s.pinned.name : "-";
    byId("deals").replaceChildren(...s.deals.map(dealCard));
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
byId("launch").addEventListener("click", () => call(`sessions/${sessionId}/deals/`, {
  lineup_item: Number(byId("lineup").value),
  deal_price: byId("deal-price").value, quantity_cap: Number(byId("deal-cap").value),
  per_buyer_limit: Number(byId("deal-limit").value),
  duration_minutes: Number(byId("deal-minutes").value)}));
refresh();
setInterval(refresh, 2000);
