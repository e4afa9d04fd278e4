from decimal import Decimal

import stripe
from django.conf import settings
from django.urls import reverse

from payments.models import LedgerEntry
from tests.helpers import wait_for


def stripe_client() -> stripe.StripeClient:
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses={"api": settings.STRIPE_API_BASE},
                               max_network_retries=0)


def payment_ready(client, number: str, timeout: float = 15.0) -> dict:
    """What the buyer's page does after checkout: poll the order's payment until a worker has created the
    PaymentIntent and the client secret is there. Returns the payment as the API shows it."""
    url = reverse("payments:order-payment", args=[number])

    def ready():
        response = client.get(url)
        assert response.status_code == 200, response.json()
        return response.json() if response.json()["client_secret"] else None

    return wait_for(ready, timeout=timeout, interval=0.05, message=f"the client secret of {number}")


def pay_with(intent_id: str, card_number: str | None = None, payment_method: str = "pm_card_visa"):
    """What the buyer's browser does with Stripe.js: attach a card and confirm the intent."""
    client = stripe_client()
    if card_number:
        payment_method = client.v1.payment_methods.create(params={
            "type": "card", "card": {"number": card_number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}}).id
    client.v1.payment_intents.update(intent_id, params={"payment_method": payment_method})
    return client.v1.payment_intents.confirm(intent_id)


def assert_ledger_balanced(order) -> None:
    """The charge, less refunds, equals the sum of allocations; transfers never exceed what is owed."""
    order.refresh_from_db()
    entries = list(LedgerEntry.objects.filter(order=order))
    by_kind: dict[str, Decimal] = {}
    for entry in entries:
        by_kind[entry.kind] = by_kind.get(entry.kind, Decimal(0)) + entry.amount
    charge = by_kind.get("charge", Decimal(0))
    refunds = by_kind.get("refund", Decimal(0))
    allocations = sum((by_kind.get(k, Decimal(0)) for k in LedgerEntry.ALLOCATIONS), Decimal(0))
    captured = order.payment.captured_amount if hasattr(order, "payment") else None
    assert charge == (captured if captured is not None else order.total), (charge, order.total, captured)
    assert allocations == charge + refunds, by_kind
    transferred = by_kind.get("transfer", Decimal(0)) + by_kind.get("transfer_reversal", Decimal(0))
    assert transferred <= by_kind.get("manufacturer_payable", Decimal(0)) + by_kind.get("host_commission",
                                                                                         Decimal(0))
    # No party is paid more than it is owed: per manufacturer its payable, per live host its commission.
    paid: dict[tuple, Decimal] = {}
    owed: dict[tuple, Decimal] = {}
    for entry in entries:
        party = ("host", entry.host_id) if entry.host_id else ("manufacturer", entry.manufacturer_id)
        if entry.kind in ("transfer", "transfer_reversal"):
            paid[party] = paid.get(party, Decimal(0)) + entry.amount
        elif entry.kind in ("manufacturer_payable", "host_commission") and (entry.kind == "host_commission") == (
                party[0] == "host"):
            owed[party] = owed.get(party, Decimal(0)) + entry.amount
    for party, amount in paid.items():
        assert amount <= owed.get(party, Decimal(0)), (party, amount, owed)


def transfer_responder(transfers, reversals):
    """Stripe's Connect for a recording gateway: every transfer and reversal succeeds and is kept in the lists."""
    def respond(call):
        if call["url"].endswith("/v1/transfers"):
            transfers.append(call)
            return 200, {"id": f"tr_{len(transfers)}", "object": "transfer"}
        if "/reversals" in call["url"]:
            reversals.append(call)
            return 200, {"id": f"trr_{len(reversals)}", "object": "transfer_reversal"}
        return 404, {"error": {"type": "invalid_request_error", "message": "unexpected"}}
    return respond


def refund_responder(transfers, reversals, on_transfer=None):
    """Stripe for refunds and Connect: a refund succeeds; transfers and reversals as transfer_responder."""
    connect = transfer_responder(transfers, reversals)

    def respond(call):
        if call["url"].endswith("/v1/refunds"):
            return 200, {"id": f"re_{call['headers']['Idempotency-Key'][-8:]}", "object": "refund"}
        if on_transfer is not None and call["url"].endswith("/v1/transfers"):
            on_transfer()
        return connect(call)
    return respond
