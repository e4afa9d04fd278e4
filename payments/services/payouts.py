"""Payouts: what each manufacturer is owed for an order, after the return window, paid by a Connect transfer.

Every call to Stripe follows one pattern so that a retried or redelivered task never charges, refunds
or transfers twice: (1) in a transaction, lock our row, check it still needs the call, and make sure
its deterministic idempotency key is stored; (2) call Stripe with that key, outside any transaction;
(3) in a transaction, lock the row again and record the result only if nobody did meanwhile.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from config.task_queue import enqueue_on_commit
from orders.models import Order, OrderStatus
from payments import gateway as gw
from payments.errors import PaymentGatewayError
from payments.models import LedgerEntry, Payment, Payout
from shop import selectors as shop_selectors
from shop.money import to_minor_units

Kind = LedgerEntry.Kind


def payouts_create_due(*, now=None) -> int:
    """Beat: for each order paid longer ago than the hold period, one payout per manufacturer for what
    the ledger says it is owed (after fees, commissions and refunds)."""

    now = now or timezone.now()
    cutoff = now - timezone.timedelta(hours=settings.LIVEDOCK_PAYOUT_HOLD_HOURS)
    orders = Order.objects.filter(payment__status=Payment.Status.SUCCEEDED, payment__succeeded_at__lte=cutoff,
                                  payouts__isnull=True).exclude(status=OrderStatus.REFUNDED).distinct()
    created = 0
    for order in orders:
        owed = list(LedgerEntry.objects.filter(order=order, kind=Kind.MANUFACTURER_PAYABLE)
                    .values("manufacturer_id").annotate(total=Sum("amount")))
        makers = shop_selectors.manufacturers_by_id(ids=[row["manufacturer_id"] for row in owed])
        with transaction.atomic():
            for row in owed:
                if row["total"] <= 0:
                    continue
                maker = makers[row["manufacturer_id"]]
                payout, was_created = Payout.objects.get_or_create(
                    order=order, recipient_kind=Payout.Recipient.MANUFACTURER, manufacturer=maker,
                    defaults={"amount": row["total"], "currency": order.currency,
                              "amount_minor": to_minor_units(row["total"], order.currency, charge=False),
                              "destination_account": maker.payout_account_ref,
                              "status": Payout.Status.PENDING if maker.payout_account_ref
                              else Payout.Status.AWAITING_ACCOUNT,
                              "idempotency_key": f"order:{order.pk}:payout:manufacturer:{maker.pk}"})
                if was_created:
                    created += 1
                    if payout.status == Payout.Status.PENDING:
                        # robust: reconciliation executes a pending payout whose task was never queued.
                        enqueue_on_commit("payments.execute_payout", payout.pk)
    return created


def payout_execute(*, payout_id: int) -> Payout:
    payout = Payout.objects.select_related("order__payment").get(pk=payout_id)
    if payout.status != Payout.Status.PENDING:
        return payout
    payment = payout.order.payment
    try:
        transfer_id = gw.provider_call(gw.gateway().transfer, amount_minor=payout.amount_minor,
                                       currency=payout.currency,
                            destination=payout.destination_account, transfer_group=payout.order.number,
                            source_transaction=payment.charge_id, idempotency_key=payout.idempotency_key,
                            metadata={"order_number": payout.order.number, "payout_id": str(payout.pk)})
    except PaymentGatewayError as exc:
        Payout.objects.filter(pk=payout.pk, status=Payout.Status.PENDING).update(status=Payout.Status.FAILED,
                                                                                error=str(exc))
        raise
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout.pk)
        if payout.status != Payout.Status.PENDING:
            return payout
        payout.status, payout.stripe_transfer_id, payout.paid_at = Payout.Status.PAID, transfer_id, timezone.now()
        payout.save(update_fields=["status", "stripe_transfer_id", "paid_at"])
        LedgerEntry.objects.create(order_id=payout.order_id, kind=Kind.TRANSFER, manufacturer=payout.manufacturer,
                                   host_id=payout.host_id, amount=payout.amount, currency=payout.currency,
                                   stripe_object_id=transfer_id, memo=f"Payout {payout.pk}")
    return payout

