"""Stripe webhooks: verified and stored once under the event id, then processed by a task."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import stripe
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.parsers import MAX_DEPTH, nested_deeper_than
from config.task_queue import enqueue_on_commit
from payments import gateway as gw
from payments.errors import WebhookInvalid
from payments.models import Payment, WebhookEvent
from payments.services.intents import payment_sync

HANDLED_EVENTS = frozenset({
    "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled",
    "payment_intent.processing", "payment_intent.requires_action", "payment_intent.amount_capturable_updated",
})


# Stripe's tolerance between the signed timestamp and now (stripe.Webhook.DEFAULT_TOLERANCE, 5 minutes); the SDK
# applies it only to timestamps in the past, this applies it to the future too.
TIMESTAMP_TOLERANCE_SECONDS = stripe.Webhook.DEFAULT_TOLERANCE


@dataclass
class WebhookReceipt:
    event: WebhookEvent
    duplicate: bool


def webhook_receive(*, payload: bytes, signature: str) -> WebhookReceipt:
    """Verify the signature on the raw body, store the event once under its id, and queue processing
    after commit. Duplicates are acknowledged and ignored."""

    _event_shape_check(payload)
    try:
        event = gw.gateway().construct_event(payload, signature)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise WebhookInvalid(str(exc).split("\n")[0][:200]) from exc
    if _signed_at(signature) > time.time() + TIMESTAMP_TOLERANCE_SECONDS:
        raise WebhookInvalid("Timestamp outside the tolerance zone (in the future).")
    object_id = getattr(event.data.object, "id", "") or ""
    try:
        with transaction.atomic():
            row = WebhookEvent.objects.create(event_id=event.id, type=event.type, object_id=object_id,
                                              payload=event.to_dict())
            # robust: the event is stored; if the broker cannot take the task, Stripe still gets its 200 and
            # the reconciliation beat processes the event later.
            enqueue_on_commit("payments.process_webhook_event", row.pk)
        return WebhookReceipt(row, duplicate=False)
    except IntegrityError:
        return WebhookReceipt(WebhookEvent.objects.get(event_id=event.id), duplicate=True)


def _event_shape_check(payload: bytes) -> None:
    """A body that is not a Stripe event (not JSON, nested absurdly deep, not an object with an id, a type and a
    data object) is refused before the SDK builds an event from it, which would raise AttributeError (a 500)."""
    try:
        document = json.loads(payload)
    except (ValueError, RecursionError) as exc:
        raise WebhookInvalid("The payload is not JSON.") from exc
    if nested_deeper_than(document, MAX_DEPTH):
        raise WebhookInvalid("The payload is nested too deeply.")
    data = document.get("data") if isinstance(document, dict) else None
    if not (isinstance(data, dict) and isinstance(data.get("object"), dict)
            and isinstance(document.get("id"), str) and isinstance(document.get("type"), str)):
        raise WebhookInvalid("The payload is not a Stripe event (an object with an id, a type and a data object).")


def _signed_at(signature: str) -> int:
    """The timestamp of a Stripe-Signature header the SDK has verified (`t=<unix seconds>,v1=<hmac>,...`), read
    the way the SDK reads it."""
    return int(dict(item.split("=", 2) for item in signature.split(","))["t"])


def webhook_process(*, event_row_id: int) -> str:
    """Act on a stored event. Re-reads the PaymentIntent first, so order and repeats do not matter."""
    with transaction.atomic():
        row = WebhookEvent.objects.select_for_update().get(pk=event_row_id)
        if row.processed_at:
            return row.outcome
    if row.type not in HANDLED_EVENTS:
        outcome = f"ignored: {row.type} is not an event we act on"
    else:
        payment = Payment.objects.filter(intent_id=row.object_id).first()
        if payment is None:
            outcome = f"ignored: unknown PaymentIntent {row.object_id}"
        else:
            payment = payment_sync(payment_id=payment.pk)
            outcome = f"payment {payment.pk} is {payment.status}"
    WebhookEvent.objects.filter(pk=row.pk, processed_at__isnull=True).update(processed_at=timezone.now(),
                                                                             outcome=outcome)
    return outcome

