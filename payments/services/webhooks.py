"""Stripe webhooks: verified and stored once under the event id, then processed by a task."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import stripe
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.task_queue import enqueue_on_commit
from payments import gateway as gw
from payments.errors import WebhookInvalid
from payments.models import LedgerEntry, Payment, WebhookEvent
from payments.services.intents import payment_sync

log = logging.getLogger(__name__)
Kind = LedgerEntry.Kind


HANDLED_EVENTS = frozenset({
    "payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled",
    "payment_intent.processing", "payment_intent.requires_action", "payment_intent.amount_capturable_updated",
})



@dataclass
class WebhookReceipt:
    event: WebhookEvent
    duplicate: bool



def webhook_receive(*, payload: bytes, signature: str) -> WebhookReceipt:
    """Verify the signature on the raw body, store the event once under its id, and queue processing
    after commit. Duplicates are acknowledged and ignored."""

    try:
        event = gw.gateway().construct_event(payload, signature)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise WebhookInvalid(str(exc).split("\n")[0][:200]) from exc
    data_object = event.data.object if getattr(event, "data", None) else None
    object_id = getattr(data_object, "id", "") or ""
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

