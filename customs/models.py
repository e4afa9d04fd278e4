"""Customs filing: export messages per parcel (CEB303/505/603), monthly summaries (CEB701) and receipts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class CustomsDeclaration(models.Model):
    """One export message for one parcel (or a monthly summary): the XML as sent, its validation,
    transmission and the status history from the receipts."""

    class Type(models.TextChoices):
        ORDER = "CEB303", "CEB303 order"
        WAYBILL = "CEB505", "CEB505 waybill"
        INVENTORY = "CEB603", "CEB603 export inventory list"
        SUMMARY = "CEB701", "CEB701 summary declaration"

    class Status(models.TextChoices):
        INVALID = "invalid", "Invalid: fix the data and resubmit"
        READY = "ready", "Built and validated"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted by customs"
        RELEASED = "released", "Released (800)"
        REJECTED = "rejected", "Rejected: correct and resubmit"

    shipment = models.ForeignKey("orders.Shipment", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="declarations")
    message_type = models.CharField(max_length=6, choices=Type.choices)
    generation = models.PositiveSmallIntegerField(default=1, help_text="Resubmissions count up.")
    guid = models.CharField(max_length=36, unique=True)
    business_no = models.CharField(max_length=60, help_text="orderNo, logisticsNo or copNo of the message.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.READY)
    xml = models.TextField(blank=True)
    validation_error = models.TextField(blank=True)
    destination_data = models.JSONField(default=dict, blank=True,
                                        help_text="The destination's low-value data set (EU H7-style etc.).")
    transport_ref = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    period = models.CharField(max_length=7, blank=True, help_text="YYYY-MM for monthly summaries.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_customsdeclaration"  # kept from before the app split: no data moved
        ordering = ["shipment_id", "message_type", "generation"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "message_type", "generation"],
                                    condition=Q(shipment__isnull=False), name="declaration_once_per_generation"),
            models.UniqueConstraint(fields=["period"], condition=Q(message_type="CEB701"),
                                    name="summary_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.message_type} {self.business_no} ({self.status})"


class DeclarationReceipt(models.Model):
    """A receipt from customs (CEB304/CEB506/CEB604/CEB702-style): returnStatus with its time and info."""

    declaration = models.ForeignKey(CustomsDeclaration, on_delete=models.CASCADE, related_name="receipts")
    return_status = models.IntegerField()
    return_time = models.CharField(max_length=17)
    return_info = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_declarationreceipt"  # kept from before the app split: no data moved
        ordering = ["received_at", "id"]
        constraints = [models.UniqueConstraint(fields=["declaration", "return_status", "return_time"],
                                               name="receipt_once")]

    def __str__(self) -> str:
        return f"{self.return_status} at {self.return_time}"

