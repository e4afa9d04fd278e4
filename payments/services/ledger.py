"""The money ledger: append-only rows that say where every unit of an order's money went."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from livestream.models import FlashDeal
from orders.models import Order, OrderLine
from payments.models import LedgerEntry, Payment
from shop.money import quantize

Kind = LedgerEntry.Kind


def _line_split(line: OrderLine, quantity: int, currency: str) -> tuple[Decimal, Decimal, Decimal]:
    """(manufacturer payable, platform fee, host commission) for `quantity` units of a line."""
    gross = quantize(line.unit_price * quantity, currency)
    fee = quantize(gross * settings.LIVEDOCK_PLATFORM_FEE_RATE, currency)
    commission = quantize(gross * line.host_commission_rate, currency)
    return gross - fee - commission, fee, commission


def line_hosts(lines) -> dict[int, int]:
    """The live host of each order line sold in a live session's deal, by line id (other lines have none)."""
    deal_ids = {line.deal_id for line in lines if line.deal_id}
    hosts = dict(FlashDeal.objects.filter(pk__in=deal_ids, session__isnull=False).values_list("pk", "session__host_id"))
    return {line.pk: hosts[line.deal_id] for line in lines if line.deal_id in hosts}


def _ledger_allocations(order: Order, lines_and_quantities, sign: int, stripe_id: str, memo: str,
                        extras: dict[str, Decimal] | None = None) -> list[LedgerEntry]:
    """Allocation rows per manufacturer (and, for commission, per live host) of these units of lines."""
    lines_and_quantities = list(lines_and_quantities)
    hosts = line_hosts([line for line, _ in lines_and_quantities])
    per_maker: dict[tuple[int, int | None], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0),
                                                                                  Decimal(0)])
    for line, quantity in lines_and_quantities:
        payable, fee, commission = _line_split(line, quantity, order.currency)
        bucket = per_maker[line.manufacturer_id, hosts.get(line.pk)]
        bucket[0] += payable
        bucket[1] += fee
        bucket[2] += commission
    entries = []
    for (maker_id, host_id), (payable, fee, commission) in sorted(per_maker.items(), key=lambda kv: (
            kv[0][0], kv[0][1] or 0)):
        for kind, amount in ((Kind.MANUFACTURER_PAYABLE, payable), (Kind.PLATFORM_FEE, fee),
                             (Kind.HOST_COMMISSION, commission)):
            if amount:
                entries.append(LedgerEntry(order=order, kind=kind, manufacturer_id=maker_id, amount=sign * amount,
                                           host_id=host_id if kind == Kind.HOST_COMMISSION else None,
                                           currency=order.currency, stripe_object_id=stripe_id, memo=memo))
    for kind, amount in (extras or {}).items():
        if amount:
            entries.append(LedgerEntry(order=order, kind=kind, amount=sign * amount, currency=order.currency,
                                       stripe_object_id=stripe_id, memo=memo))
    return entries


def _ledger_charge(order: Order, payment: Payment) -> None:
    """The charge and its allocation. After a partial capture the units not captured are already
    counted as refunded on their lines, so the allocations sum to what was captured."""
    if LedgerEntry.objects.filter(order=order, kind=Kind.CHARGE).exists():
        return
    lines = [(line, line.quantity - line.refunded_quantity) for line in OrderLine.objects.filter(order=order)
             if line.quantity > line.refunded_quantity]
    charged = payment.captured_amount if payment.captured_amount is not None else order.total
    entries = [LedgerEntry(order=order, kind=Kind.CHARGE, amount=charged, currency=order.currency,
                           stripe_object_id=payment.charge_id or payment.intent_id or "", memo="Card payment")]
    entries += _ledger_allocations(order, lines, +1, payment.intent_id or "", "Allocation of the charge", {
        Kind.DUTIES_TAXES: order.duties_total + order.taxes_total, Kind.SHIPPING: order.shipping_total})
    LedgerEntry.objects.bulk_create(entries)


def ledger_balance(*, order: Order) -> dict[str, Decimal]:
    """Totals per kind for an order; `charge` - refunds equals the allocations when the ledger balances."""
    rows = LedgerEntry.objects.filter(order=order).values("kind").annotate(total=Sum("amount"))
    return {row["kind"]: row["total"] for row in rows}

