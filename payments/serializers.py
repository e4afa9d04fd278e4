"""The payment part of an order as the buyer sees it."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shop.serializers import MoneySerializer


class PaymentOutputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=(
        "creating (a worker is creating the PaymentIntent: poll GET /api/v1/orders/{number}/payment/ until "
        "client_secret is set), unavailable (Stripe could not be reached or refused; a worker retries, and POST "
        "to the same path asks again at once), requires_action (confirm with Stripe.js), processing, "
        "authorized, succeeded, failed or canceled."))
    intent_id = serializers.CharField(allow_null=True)
    client_secret = serializers.CharField(allow_blank=True, help_text=(
        "Confirm the card with Stripe.js using this. Empty until the PaymentIntent exists."))
    publishable_key = serializers.SerializerMethodField()
    amount = serializers.SerializerMethodField()

    def get_publishable_key(self, payment) -> str:
        return settings.STRIPE_PUBLISHABLE_KEY

    @extend_schema_field(MoneySerializer)
    def get_amount(self, payment):
        return MoneySerializer((payment.amount, payment.currency)).data
