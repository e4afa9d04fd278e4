"""A flash sale over HTTP against the real web server: buyers with the live deal in their cart check out
at the same time, poll for their payment's client secret while a worker creates the PaymentIntent, pay on
Stripe, and Stripe tells the app by webhook; then the books that must balance afterwards, whatever failed
on the way."""

from __future__ import annotations

import json
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rest_framework_simplejwt.tokens import AccessToken

from customs.models import CustomsDeclaration
from livestream import services as live_services
from livestream.models import DealPurchase, FlashDeal
from orders.models import Order, OrderPaymentStatus, OrderStatus, Shipment
from orders.services.cart import cart_line_add
from payments.models import LedgerEntry, Payment, Refund, WebhookEvent
from shop.models import StockLevel
from tests.accounts.factories import address_create, buyer_create
from tests.faults.client import Replies, deliver_webhook, request, stripe_event
from tests.helpers import wait_for
from tests.livestream.factories import approved_item, make_world
from tests.payments.helpers import assert_ledger_balanced, pay_with

STOCK = 50  # make_world's units of the deal's SKU


@dataclass
class SaleBuyer:
    user_id: int
    address_id: int
    token: str


@dataclass
class Sale:
    deal: FlashDeal
    variant_id: int
    buyers: list[SaleBuyer]


def sale_open(*, cap: int, buyers: int) -> Sale:
    """A live session selling one SKU in a flash deal (one unit per buyer), and buyers with it in their cart."""
    host, session, variant = make_world()
    item = approved_item(host, session, variant)
    live_services.session_go_live(host=host, session_id=session.pk)
    deal = live_services.deal_launch(host=host, session_id=session.pk, lineup_item_id=item.pk,
                                     deal_price=Decimal("59.00"), quantity_cap=cap, per_buyer_limit=1,
                                     duration_minutes=30)
    people = []
    for _ in range(buyers):
        buyer = buyer_create()
        address = address_create(buyer)
        cart_line_add(buyer=buyer, variant_id=variant.pk, quantity=1, deal_id=deal.pk)
        people.append(SaleBuyer(buyer.pk, address.pk, str(AccessToken.for_user(buyer))))
    return Sale(deal, variant.pk, people)


@dataclass
class Purchase:
    buyer: SaleBuyer
    order_number: str = ""
    refusal: str = ""  # the error code of the final answer when there is no order
    intent_id: str = ""
    paid_event_id: str = ""


def stripe_get(stripe_url: str, path: str) -> dict:
    """Read Stripe's side directly (what exists there, whatever our database says)."""
    request_ = urllib.request.Request(stripe_url + path, headers={"Authorization": "Bearer sk_test_livedock"})
    with urllib.request.urlopen(request_, timeout=10) as response:
        return json.loads(response.read())


def _until_answered(call, attempts: int = 6):
    """Repeat a request after a 5xx or no answer, as a client should; the Idempotency-Key makes it safe."""
    for attempt in range(attempts):
        reply = call()
        if reply.status and reply.status < 500:
            return reply
        time.sleep(0.3 * (attempt + 1))
    return reply


POLL_SECONDS = 0.2  # how often the buyer's page asks for the payment's client secret
ASK_AGAIN_SECONDS = 3  # how long it waits for the secret before it asks for the PaymentIntent again
PAYMENT_PATIENCE = 90  # seconds the page keeps trying before the buyer gives up


def check_out(*, web_url: str, buyer: SaleBuyer, replies: Replies, phase: str) -> Purchase:
    """One buyer checks out, then their page polls the order's payment until a worker has created the
    PaymentIntent, asking for it again (POST) now and then while it does not come."""
    result = Purchase(buyer)
    headers = {"Authorization": f"Bearer {buyer.token}", "Idempotency-Key": f"flash-sale-{buyer.user_id}"}
    reply = _until_answered(lambda: request(web_url, "POST", "/api/v1/checkout/", label=f"{phase}:checkout",
                                            replies=replies, body={"address_id": buyer.address_id},
                                            headers=headers))
    if reply.status != 201:
        result.refusal = reply.json()["error"]["code"] if 400 <= reply.status < 500 else f"status {reply.status}"
        return result
    result.order_number = reply.json()["number"]
    path = f"/api/v1/orders/{result.order_number}/payment/"
    headers = {"Authorization": headers["Authorization"]}
    deadline = time.monotonic() + PAYMENT_PATIENCE
    asked_at = time.monotonic()
    while time.monotonic() < deadline:
        reply = request(web_url, "GET", path, label=f"{phase}:poll", replies=replies, headers=headers)
        if reply.status == 200 and reply.json()["client_secret"]:
            result.intent_id = reply.json()["intent_id"]
            return result
        if time.monotonic() - asked_at > ASK_AGAIN_SECONDS:  # the task may have been lost: ask again
            request(web_url, "POST", path, label=f"{phase}:payment", replies=replies, headers=headers)
            asked_at = time.monotonic()
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"no client secret for {result.order_number} in {PAYMENT_PATIENCE} s")


def pay(bought: Purchase, *, web_url: str, stripe_url: str, secret: str, replies: Replies, phase: str) -> Purchase:
    """Pay the PaymentIntent on Stripe (what Stripe.js does), and Stripe's signed webhook to the app,
    redelivered until it is acknowledged."""
    pay_with(bought.intent_id)
    event = stripe_event("payment_intent.succeeded", stripe_get(stripe_url, f"/v1/payment_intents/{bought.intent_id}"))
    bought.paid_event_id = event["id"]
    deliver_webhook(web_url, event, secret, replies=replies, label=f"{phase}:webhook")
    return bought


def purchase(*, web_url: str, stripe_url: str, secret: str, buyer: SaleBuyer, replies: Replies,
             phase: str) -> Purchase:
    """One buyer: check out, wait for the client secret, pay on Stripe, and Stripe's webhook to the app."""
    bought = check_out(web_url=web_url, buyer=buyer, replies=replies, phase=phase)
    if not bought.order_number:
        return bought
    return pay(bought, web_url=web_url, stripe_url=stripe_url, secret=secret, replies=replies, phase=phase)


def wait_until(check, *, timeout: float, interval: float = 0.2, message: str = "condition"):
    return wait_for(check, timeout=timeout, interval=interval, message=message)


def sale_settled() -> bool:
    """Every accepted event processed, every refund made and every paid order's parcels filed."""
    if WebhookEvent.objects.filter(processed_at__isnull=True).exists() or \
            Refund.objects.filter(status=Refund.Status.REQUESTED).exists():
        return False
    paid = Shipment.objects.filter(order__status=OrderStatus.PAID)
    sent = CustomsDeclaration.objects.filter(shipment__in=paid, status=CustomsDeclaration.Status.SENT)
    return sent.count() == 3 * paid.count()


def assert_sale_books_balance(sale: Sale, purchases: list[Purchase], *, stripe_url: str, outbox: Path,
                              refunded: tuple[str, ...] = ()) -> None:
    """What must hold after any fault, once the system has recovered. `refunded`: orders whose one unit an
    operator refunded."""
    sold = [p for p in purchases if p.order_number]
    # Every buyer got an order or a clean refusal because the deal sold out; nobody was left with an error.
    assert Counter(p.refusal for p in purchases if not p.order_number) == {"deal_sold_out": len(purchases) - len(sold)}
    # Exactly one order per buyer who was told "201", and no order anybody was not told about.
    assert sorted(Order.objects.values_list("number", flat=True)) == sorted(p.order_number for p in sold)
    assert Counter(Order.objects.values_list("buyer_id", flat=True)) == Counter(p.buyer.user_id for p in sold)
    # The deal sold exactly its cap, one unit per buyer, and the counters agree with the orders.
    deal = FlashDeal.objects.get(pk=sale.deal.pk)
    assert (len(sold), deal.remaining) == (deal.quantity_cap, 0)
    assert dict(DealPurchase.objects.filter(deal=deal).values_list("buyer_id", "quantity")) == {
        p.buyer.user_id: 1 for p in sold}
    level = StockLevel.objects.get(variant_id=sale.variant_id)
    assert (level.on_hand, level.reserved) == (STOCK, len(sold) - len(refunded))  # a refunded unit is on sale
    # Every order paid once: one PaymentIntent on Stripe, one successful payment, one charge in the ledger;
    # a refund made once on Stripe and once in our books.
    intents = stripe_get(stripe_url, "/v1/payment_intents?limit=100")["data"]
    assert Counter(i["metadata"]["order_number"] for i in intents) == Counter(p.order_number for p in sold)
    for order in Order.objects.select_related("payment"):
        # an order's one unit refunded (not its duties and shipping): nothing is left to ship, the money partly back
        goods, money = ((OrderStatus.CANCELLED, OrderPaymentStatus.PARTIALLY_REFUNDED) if order.number in refunded
                        else (OrderStatus.PAID, OrderPaymentStatus.PAID))
        assert (order.status, order.payment_status, order.payment.status) == (
            goods, money, Payment.Status.SUCCEEDED), order.number
        assert LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.CHARGE).count() == 1
        refunds = list(Refund.objects.filter(order=order).values_list("status", "stripe_refund_id", "amount_minor"))
        if order.number in refunded:
            on_stripe = stripe_get(stripe_url, f"/v1/refunds?payment_intent={order.payment.intent_id}")["data"]
            assert refunds == [(Refund.Status.SUCCEEDED, r["id"], r["amount"]) for r in on_stripe] and len(refunds) == 1
        else:
            assert refunds == []
        assert LedgerEntry.objects.filter(order=order, kind=LedgerEntry.Kind.REFUND).count() == len(refunds)
        assert_ledger_balanced(order)
    # Every event Stripe sent was stored once and acted on.
    assert sorted(WebhookEvent.objects.values_list("event_id", flat=True)) == sorted(p.paid_event_id for p in sold)
    assert not WebhookEvent.objects.filter(processed_at__isnull=True).exists()
    # Each parcel's three export messages were built once and filed once.
    # (A parcel whose one unit was refunded before it was declared never ships: it is not declared at all.)
    declarations = CustomsDeclaration.objects.filter(shipment__order__in=Order.objects.all())
    declared = {number for number in declarations.values_list("shipment__order__number", flat=True)}
    assert declared >= {p.order_number for p in sold} - set(refunded)
    assert Counter(declarations.values_list("message_type", flat=True)) == {
        t: len(declared) for t in ("CEB303", "CEB505", "CEB603")}
    assert set(declarations.values_list("status", flat=True)) == {CustomsDeclaration.Status.SENT}
    assert sorted(p.name for p in outbox.glob("*.xml")) == sorted(
        f"{d.message_type}_{d.guid}.xml" for d in declarations)
