"""Reconciliation: the beat that finds money work whose task never ran or never finished, and does it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone

from orders.models import Order, OrderStatus, Shipment
from payments.errors import PaymentGatewayError, TransientGatewayError
from payments.models import Payment, Payout, Refund, WebhookEvent
from payments.services.intents import payment_capture_shipped, payment_sync
from payments.services.payouts import payout_execute
from payments.services.refunds import refund_execute
from payments.services.webhooks import webhook_process

log = logging.getLogger(__name__)


def payments_reconcile(*, older_than_minutes: int | None = None) -> int:
    """Beat: Stripe events we accepted but never processed (their task could not be queued, or was lost)
    are processed, orders still awaiting payment are checked against Stripe (a PaymentIntent whose task was
    lost or ran out of retries is created), and refunds and payouts still waiting for their task are made
    (with their stored idempotency keys, so Stripe acts once): neither a lost webhook nor a lost task leaves
    money unmoved. Returns the number of payments checked."""
    minutes = older_than_minutes if older_than_minutes is not None else settings.LIVEDOCK_RECONCILE_AFTER_MINUTES
    cutoff = timezone.now() - timezone.timedelta(minutes=minutes)
    stalled = WebhookEvent.objects.filter(processed_at__isnull=True, received_at__lte=cutoff)
    _reconcile_each("webhook event", stalled.order_by("received_at"), lambda pk: webhook_process(event_row_id=pk))
    pending = Payment.objects.filter(
        order__status=OrderStatus.PENDING_PAYMENT, created_at__lte=cutoff,
        status__in=[Payment.Status.CREATING, Payment.Status.UNAVAILABLE, Payment.Status.REQUIRES_ACTION,
                    Payment.Status.PROCESSING],
    )
    done = _reconcile_each("payment", pending, lambda pk: payment_sync(payment_id=pk))
    # Manual capture: authorised payments of orders with a parcel on its way whose capture task was lost.
    uncaptured = Order.objects.filter(payment__status=Payment.Status.AUTHORIZED, payment__updated_at__lte=cutoff,
                                      shipments__status__in=[Shipment.Status.SHIPPED, Shipment.Status.DELIVERED])
    _reconcile_each("capture", uncaptured.distinct(), lambda pk: payment_capture_shipped(order_id=pk))
    # Payouts before refunds: a refund reverses the share of a payout already paid, never of a pending one.
    payouts = Payout.objects.filter(status=Payout.Status.PENDING, created_at__lte=cutoff).order_by("pk")
    _reconcile_each("payout", payouts, lambda pk: payout_execute(payout_id=pk))
    refunds = Refund.objects.filter(status=Refund.Status.REQUESTED, created_at__lte=cutoff).order_by("pk")
    _reconcile_each("refund", refunds, lambda pk: refund_execute(refund_id=pk))
    return done


def _reconcile_each(kind: str, queryset, action) -> int:
    """Run `action` for each row id; a gateway failure is logged and left for the next run. Returns successes."""
    done = 0
    for pk in list(queryset.values_list("pk", flat=True)):
        try:
            action(pk)
            done += 1
        except (TransientGatewayError, PaymentGatewayError) as exc:
            log.warning("Reconciliation of %s %s failed: %s", kind, pk, exc)
    return done

