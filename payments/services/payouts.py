"""Payouts: what each manufacturer and live host is owed for an order, after the return window, paid by a
Connect transfer.

Every transfer goes through the one protocol of calls to Stripe (payments/services/provider.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from config.task_queue import enqueue_on_commit
from livestream.models import Host
from orders.models import Order, OrderPaymentStatus
from payments import gateway as gw
from payments.errors import PaymentGatewayError
from payments.models import LedgerEntry, Payment, Payout
from payments.services.provider import ProviderCall, provider_once
from payments.services.refunds import refunds_reversed_from
from shop import selectors as shop_selectors
from shop.models import Manufacturer
from shop.money import to_minor_units

Kind = LedgerEntry.Kind


def payouts_create_due(*, now=None) -> int:
    """Beat: for each order paid longer ago than the hold period (the return window), one payout per
    manufacturer and per live host for what the ledger says each is owed (after fees, commissions and
    refunds); then payouts that waited for a connected account that exists now are sent. Returns the
    payouts created."""

    now = now or timezone.now()
    cutoff = now - timezone.timedelta(hours=settings.LIVEDOCK_PAYOUT_HOLD_HOURS)
    due = Order.objects.filter(payment__status=Payment.Status.SUCCEEDED, payment__succeeded_at__lte=cutoff).exclude(
        payment_status=OrderPaymentStatus.REFUNDED)
    unpaid = due.filter(payouts__isnull=True).values_list("pk", flat=True)
    hosts_unpaid = (due.filter(ledger_entries__kind=Kind.HOST_COMMISSION, ledger_entries__host_id__isnull=False)
                    .exclude(payouts__recipient_kind=Payout.Recipient.HOST).values_list("pk", flat=True))
    created = 0
    for order in Order.objects.filter(pk__in=set(unpaid) | set(hosts_unpaid)).order_by("pk"):
        with transaction.atomic():
            for recipient, amount in _owed_by_recipient(order):
                payout, was_created = Payout.objects.get_or_create(
                    order=order, recipient_kind=recipient.kind, manufacturer_id=recipient.manufacturer_id,
                    host_id=recipient.host_id,
                    defaults={"amount": amount, "currency": order.currency,
                              "amount_minor": to_minor_units(amount, order.currency, charge=False),
                              "destination_account": recipient.account,
                              "status": Payout.Status.PENDING if recipient.account else Payout.Status.AWAITING_ACCOUNT,
                              "idempotency_key": f"order:{order.pk}:payout:{recipient.kind}:{recipient.id}"})
                if was_created:
                    created += 1
                    if payout.status == Payout.Status.PENDING:
                        # robust: reconciliation executes a pending payout whose task was never queued.
                        enqueue_on_commit("payments.execute_payout", payout.pk)
    payouts_with_accounts_now()
    return created


@dataclass(frozen=True)
class _Recipient:
    kind: str  # Payout.Recipient
    id: int
    account: str  # the connected account, "" while there is none

    @property
    def manufacturer_id(self) -> int | None:
        return self.id if self.kind == Payout.Recipient.MANUFACTURER else None

    @property
    def host_id(self) -> int | None:
        return self.id if self.kind == Payout.Recipient.HOST else None


def _owed_by_recipient(order: Order) -> list[tuple[_Recipient, Decimal]]:
    """Who the ledger says is owed money for the order, and how much (only those owed more than nothing)."""
    makers = (LedgerEntry.objects.filter(order=order, kind=Kind.MANUFACTURER_PAYABLE)
              .values_list("manufacturer_id").annotate(total=Sum("amount")))
    hosts = (LedgerEntry.objects.filter(order=order, kind=Kind.HOST_COMMISSION, host_id__isnull=False)
             .values_list("host_id").annotate(total=Sum("amount")))
    maker_rows = {maker_id: total for maker_id, total in makers if total > 0}
    host_rows = {host_id: total for host_id, total in hosts if total > 0}
    maker_accounts = {pk: maker.payout_account_ref for pk, maker in
                      shop_selectors.manufacturers_by_id(ids=list(maker_rows)).items()}
    host_accounts = dict(Host.objects.filter(pk__in=host_rows).values_list("pk", "payout_account_ref"))
    owed = [(_Recipient(Payout.Recipient.MANUFACTURER, pk, maker_accounts[pk]), total)
            for pk, total in sorted(maker_rows.items())]
    owed += [(_Recipient(Payout.Recipient.HOST, pk, host_accounts.get(pk, "")), total)
             for pk, total in sorted(host_rows.items())]
    return owed


def payouts_with_accounts_now() -> int:
    """Payouts created while their manufacturer or host had no connected account, whose account exists now:
    they become pending, to the account, and are sent (the amount is read again then). Returns how many."""
    waiting = Payout.objects.filter(status=Payout.Status.AWAITING_ACCOUNT)
    maker_accounts = dict(Manufacturer.objects.filter(pk__in=waiting.values("manufacturer_id"))
                          .exclude(payout_account_ref="").values_list("pk", "payout_account_ref"))
    host_accounts = dict(Host.objects.filter(pk__in=waiting.values("host_id"))
                         .exclude(payout_account_ref="").values_list("pk", "payout_account_ref"))
    sent = 0
    for payout in waiting:
        account = (maker_accounts.get(payout.manufacturer_id) if payout.recipient_kind == Payout.Recipient.MANUFACTURER
                   else host_accounts.get(payout.host_id))
        if not account:
            continue
        with transaction.atomic():
            if Payout.objects.filter(pk=payout.pk, status=Payout.Status.AWAITING_ACCOUNT).update(
                    status=Payout.Status.PENDING, destination_account=account):
                enqueue_on_commit("payments.execute_payout", payout.pk)
                sent += 1
    return sent


def _owed_now(payout: Payout) -> Decimal:
    """What the ledger says the payout's recipient is owed for its order now: refunds completed so far are in."""
    if payout.recipient_kind == Payout.Recipient.HOST:
        entries = LedgerEntry.objects.filter(kind=Kind.HOST_COMMISSION, host_id=payout.host_id)
    else:
        entries = LedgerEntry.objects.filter(kind=Kind.MANUFACTURER_PAYABLE, manufacturer_id=payout.manufacturer_id)
    owed = entries.filter(order_id=payout.order_id).aggregate(total=Sum("amount"))["total"]
    return max(owed or Decimal(0), Decimal(0))


def _amount_fixed(payout_id: int) -> Payout | None:
    """Under the payout's lock, read the amount owed once, just before the first call (a retry sends the same
    amount with the same key, as Stripe requires). Nothing owed any more (the order was refunded since the
    payout was created): the payout ends as not owed. None: nothing to send."""
    payout = Payout.objects.select_for_update(of=("self",)).select_related("order__payment").get(pk=payout_id)
    if payout.status != Payout.Status.PENDING:
        return None
    if payout.amount_fixed_at is None:
        # Under the order's lock, which a refund takes before it stamps its completion: a refund is either
        # in the ledger read here, or completes after this moment and is reversed from the payout.
        Order.objects.select_for_update().get(pk=payout.order_id)
        payout.amount = _owed_now(payout)
        payout.amount_minor = to_minor_units(payout.amount, payout.currency, charge=False)
        payout.amount_fixed_at = timezone.now()
        if payout.amount_minor <= 0:
            payout.status = Payout.Status.NOT_OWED
        payout.save(update_fields=["amount", "amount_minor", "amount_fixed_at", "status"])
    return payout if payout.status == Payout.Status.PENDING else None


def payout_execute(*, payout_id: int) -> Payout:
    """The payout's transfer to its recipient's connected account, once (payments/services/provider.py)."""

    def prepare() -> ProviderCall | None:
        payout = _amount_fixed(payout_id)
        if payout is None:
            return None
        order = payout.order
        return ProviderCall(gw.gateway().transfer, kwargs={
            "amount_minor": payout.amount_minor, "currency": payout.currency,
            "destination": payout.destination_account, "transfer_group": order.number,
            "source_transaction": order.payment.charge_id, "idempotency_key": payout.idempotency_key,
            "metadata": {"order_number": order.number, "payout_id": str(payout.pk)}})

    def refused(exc: PaymentGatewayError, call: ProviderCall) -> None:
        Payout.objects.filter(pk=payout_id, status=Payout.Status.PENDING).update(status=Payout.Status.FAILED,
                                                                                error=str(exc))

    def record(transfer_id: str, call: ProviderCall) -> Payout:
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status != Payout.Status.PENDING:
            return payout
        payout.status, payout.stripe_transfer_id, payout.paid_at = Payout.Status.PAID, transfer_id, timezone.now()
        payout.save(update_fields=["status", "stripe_transfer_id", "paid_at"])
        LedgerEntry.objects.create(order_id=payout.order_id, kind=Kind.TRANSFER, manufacturer=payout.manufacturer,
                                   host_id=payout.host_id, amount=payout.amount, currency=payout.currency,
                                   stripe_object_id=transfer_id, memo=f"Payout {payout.pk}")
        return payout

    payout = provider_once(prepare=prepare, record=record, refused=refused,
                           done=lambda: Payout.objects.get(pk=payout_id))
    if payout.status == Payout.Status.PAID:
        # A refund that completed while the transfer was on its way was not in the amount: take its share back.
        refunds_reversed_from(payout)
    return payout
