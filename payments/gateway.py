"""The payment gateway: Stripe's own SDK behind a small interface of our own.

Amounts cross this boundary as Decimal + currency and become Stripe's integer minor units
(`shop.money.to_minor_units`, each currency's exponent from docs.stripe.com/currencies): zero-decimal
currencies send whole units, three-decimal currencies send a multiple of 10. Every POST carries a
deterministic idempotency key that the caller stored before calling, so a retried task repeats the same
request.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import stripe
from django.conf import settings

from payments.errors import PaymentGatewayError, ProviderObjectMissing, TransientGatewayError


@dataclass(frozen=True)
class IntentState:
    intent_id: str
    status: str  # Stripe's PaymentIntent status
    client_secret: str
    amount_minor: int
    currency: str
    charge_id: str
    last_error: str
    metadata: dict


# Transient failures worth retrying: network trouble, rate limiting, Stripe's own 5xx.
def is_transient(exc: Exception) -> bool:
    if isinstance(exc, stripe.APIConnectionError | stripe.RateLimitError):
        return True
    if isinstance(exc, stripe.StripeError):
        return (exc.http_status or 0) >= 500
    return False


def provider_call(fn, *args, **kwargs):
    """Run a gateway call; transient failures become TransientGatewayError (retry), others a 502."""
    try:
        return fn(*args, **kwargs)
    except stripe.StripeError as exc:
        if is_transient(exc):
            raise TransientGatewayError(str(exc)) from exc
        if exc.http_status == 404:
            raise ProviderObjectMissing(getattr(exc, "user_message", None) or str(exc)) from exc
        raise PaymentGatewayError(getattr(exc, "user_message", None) or str(exc)) from exc



@lru_cache(maxsize=4)
def _stripe_client(secret_key: str, api_base: str, retries: int) -> stripe.StripeClient:
    """One client per process and configuration: building one reloads the certificate bundle (about 4 ms)."""
    return stripe.StripeClient(secret_key, base_addresses={"api": api_base}, max_network_retries=retries)


class StripeGateway:
    def __init__(self, client: stripe.StripeClient | None = None):
        self.client = client or _stripe_client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE,
                                               settings.STRIPE_MAX_NETWORK_RETRIES)

    @staticmethod
    def _state(intent) -> IntentState:
        charge = getattr(intent, "latest_charge", None)
        charge_id = charge if isinstance(charge, str) else getattr(charge, "id", "") or ""
        error = getattr(intent, "last_payment_error", None)
        message = (getattr(error, "message", None) or getattr(error, "code", None) or "") if error else ""
        metadata = intent.metadata.to_dict() if getattr(intent, "metadata", None) else {}
        return IntentState(intent.id, intent.status, getattr(intent, "client_secret", "") or "",
                           int(intent.amount), intent.currency.upper(), charge_id, str(message), metadata)

    def create_intent(self, *, amount_minor: int, currency: str, idempotency_key: str, metadata: dict,
                      transfer_group: str, payment_method: str | None = None) -> IntentState:
        params = {
            "amount": amount_minor, "currency": currency.lower(), "metadata": metadata,
            "payment_method_types": ["card"],
        }
        if settings.STRIPE_CAPTURE_METHOD == "manual":
            params["capture_method"] = "manual"  # authorise now, capture what ships
        if settings.STRIPE_SEND_TRANSFER_GROUP:
            params["transfer_group"] = transfer_group
        if payment_method:  # tests and the offline demo confirm server-side with a test card
            params.update(payment_method=payment_method, confirm=True)
        intent = self.client.v1.payment_intents.create(params=params, options={"idempotency_key": idempotency_key})
        return self._state(intent)

    def retrieve_intent(self, intent_id: str) -> IntentState:
        intent = self.client.v1.payment_intents.retrieve(intent_id, params={"expand": ["latest_charge"]})
        return self._state(intent)

    def capture(self, intent_id: str, *, amount_minor: int, idempotency_key: str) -> IntentState:
        intent = self.client.v1.payment_intents.capture(
            intent_id, params={"amount_to_capture": amount_minor}, options={"idempotency_key": idempotency_key})
        return self._state(intent)

    def cancel_intent(self, intent_id: str, *, idempotency_key: str) -> IntentState:
        intent = self.client.v1.payment_intents.cancel(intent_id, options={"idempotency_key": idempotency_key})
        return self._state(intent)

    def refund(self, *, intent_id: str, amount_minor: int, idempotency_key: str, metadata: dict) -> str:
        refund = self.client.v1.refunds.create(
            params={"payment_intent": intent_id, "amount": amount_minor, "metadata": metadata},
            options={"idempotency_key": idempotency_key})
        return refund.id

    def transfer(self, *, amount_minor: int, currency: str, destination: str, transfer_group: str,
                 source_transaction: str, idempotency_key: str, metadata: dict) -> str:
        params = {"amount": amount_minor, "currency": currency.lower(), "destination": destination,
                  "transfer_group": transfer_group, "metadata": metadata}
        if source_transaction:
            params["source_transaction"] = source_transaction  # waits for this charge's funds
        transfer = self.client.v1.transfers.create(params=params, options={"idempotency_key": idempotency_key})
        return transfer.id

    def reverse_transfer(self, *, transfer_id: str, amount_minor: int, idempotency_key: str) -> str:
        reversal = self.client.v1.transfers.reversals.create(
            transfer_id, params={"amount": amount_minor}, options={"idempotency_key": idempotency_key})
        return reversal.id

    def construct_event(self, payload: bytes, signature: str):
        return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)


def gateway() -> StripeGateway:
    return StripeGateway()
