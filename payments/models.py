"""Payments (Stripe PaymentIntents), webhook events, refunds, payouts (Connect transfers) and the
append-only money ledger.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q


class Payment(models.Model):
    """One PaymentIntent per order, reused for retries. The idempotency key is stored before the call.

    A payment starts in `creating` (a worker is creating its PaymentIntent; no client secret yet). If Stripe
    cannot be reached or refuses, it is `unavailable` with Stripe's message in `last_error`, and asking
    again puts it back in `creating`. Once the intent exists, the status follows the intent's."""

    class Status(models.TextChoices):
        CREATING = "creating", "Creating"
        UNAVAILABLE = "unavailable", "Could not be created; retryable"
        REQUIRES_ACTION = "requires_action", "Awaiting the buyer"
        PROCESSING = "processing", "Processing"
        AUTHORIZED = "authorized", "Authorised, awaiting capture"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Canceled"

    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="payment")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CREATING)
    amount = models.DecimalField(max_digits=14, decimal_places=3)
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField(help_text="What Stripe charges, in the currency's minor unit.")
    idempotency_key = models.CharField(max_length=255, unique=True)
    intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    client_secret = models.CharField(max_length=255, blank=True)
    charge_id = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(blank=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    captured_amount = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True,
                                          help_text="What was charged: the total, or less after a partial capture.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "orders_payment"  # kept from before the app split: no data moved
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["creating", "unavailable", "requires_action", "processing", "authorized",
                                        "succeeded", "failed", "canceled"]),
                name="payment_status_valid"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.intent_id or self.idempotency_key} ({self.status})"


class WebhookEvent(models.Model):
    """Every provider event we accepted, stored once under its event id; processing is a task."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=255, blank=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        db_table = "orders_webhookevent"  # kept from before the app split: no data moved
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


# Audit trail (see docs/operations.md): a database trigger records who changed what, before and after.
@pghistory.track(meta={"db_table": "orders_refundevent"})
class Refund(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(max_digits=14, decimal_places=3)
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()
    reason = models.TextField()
    includes_extras = models.BooleanField(
        default=False, help_text="Also refunds the order's duties, taxes and shipping (a full refund does, once).")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    idempotency_key = models.CharField(max_length=255, unique=True, help_text="Sent to Stripe with the refund.")
    request_key = models.CharField(max_length=255, blank=True,
                                   help_text="The Idempotency-Key of the request that asked for it (per order).")
    request_hash = models.CharField(max_length=64, blank=True, help_text="The asking request's body, hashed.")
    stripe_refund_id = models.CharField(max_length=255, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "orders_refund"  # kept from before the app split: no data moved
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=["requested", "succeeded", "failed"]),
                                   name="refund_status_valid"),
            models.UniqueConstraint(fields=["order", "request_key"], condition=~Q(request_key=""),
                                    name="refund_once_per_key"),
            # duties, taxes and shipping are refunded once per order, by a refund that has not failed
            models.UniqueConstraint(fields=["order"], condition=Q(includes_extras=True) & ~Q(status="failed"),
                                    name="refund_extras_once"),
        ]

    def __str__(self) -> str:
        return f"refund {self.pk} of {self.order_id}: {self.amount} {self.currency}"


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="refund_lines")
    quantity = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=14, decimal_places=3)
    restock = models.BooleanField(default=False, help_text="Units not yet shipped go back on sale.")
    fit_reason = models.CharField(max_length=12, blank=True,
                                  help_text="Returned because it did not fit: too_small, too_large, too_narrow...")

    class Meta:
        db_table = "orders_refundline"  # kept from before the app split: no data moved
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="refundline_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} x line {self.order_line_id}"


@pghistory.track(meta={"db_table": "orders_payoutevent"})
class Payout(models.Model):
    """Money owed to one manufacturer (or live host) for one order, paid by a Connect transfer."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        AWAITING_ACCOUNT = "awaiting_account", "Awaiting payout account"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed"
        NOT_OWED = "not_owed", "Nothing owed (refunded before it was paid)"

    class Recipient(models.TextChoices):
        MANUFACTURER = "manufacturer", "Manufacturer"
        HOST = "host", "Live host"

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payouts")
    recipient_kind = models.CharField(max_length=20, choices=Recipient.choices)
    manufacturer = models.ForeignKey("shop.Manufacturer", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="payouts")
    host_id = models.BigIntegerField(null=True, blank=True)
    destination_account = models.CharField(max_length=64, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=3)
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()
    reversed_amount = models.DecimalField(max_digits=14, decimal_places=3, default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    idempotency_key = models.CharField(max_length=255, unique=True)
    stripe_transfer_id = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    amount_fixed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the amount to pay was read from the ledger, just before the transfer: "
                                         "refunds completed later are reversed from the payout.")
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "orders_payout"  # kept from before the app split: no data moved
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "manufacturer"], condition=Q(recipient_kind="manufacturer"),
                                    name="payout_one_per_manufacturer"),
            models.UniqueConstraint(fields=["order", "host_id"], condition=Q(recipient_kind="host"),
                                    name="payout_one_per_host"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payout_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"payout {self.pk}: {self.amount} {self.currency} ({self.status})"


class LedgerEntry(models.Model):
    """Append-only record of where every unit of money went: rows are inserted, never changed.

    For an order, the `charge` entry equals the sum of its allocation entries (manufacturer payables,
    platform fee, host commission, duties and taxes, shipping); refunds add negative allocations that
    sum to the refund; transfers and reversals record the Stripe objects that moved the money.
    """

    class Kind(models.TextChoices):
        CHARGE = "charge", "Charge captured"
        MANUFACTURER_PAYABLE = "manufacturer_payable", "Owed to manufacturer"
        PLATFORM_FEE = "platform_fee", "Platform fee"
        HOST_COMMISSION = "host_commission", "Owed to live host"
        DUTIES_TAXES = "duties_taxes", "Duties and taxes collected"
        SHIPPING = "shipping", "Shipping collected"
        REFUND = "refund", "Refund to buyer"
        TRANSFER = "transfer", "Transfer to connected account"
        TRANSFER_REVERSAL = "transfer_reversal", "Transfer reversal"

    ALLOCATIONS = (Kind.MANUFACTURER_PAYABLE, Kind.PLATFORM_FEE, Kind.HOST_COMMISSION, Kind.DUTIES_TAXES,
                   Kind.SHIPPING)

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="ledger_entries")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    manufacturer = models.ForeignKey("shop.Manufacturer", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    host_id = models.BigIntegerField(null=True, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=3, help_text="Signed: refunds are negative.")
    currency = models.CharField(max_length=3)
    stripe_object_id = models.CharField(max_length=255, blank=True)
    memo = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_ledgerentry"  # kept from before the app split: no data moved
        ordering = ["created_at", "id"]
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Ledger entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Ledger entries are append-only.")

