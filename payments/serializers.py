"""The payment part of an order as the buyer sees it."""

from __future__ import annotations

from rest_framework import serializers

from shop.serializers import MoneySerializer


class PaymentOutputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="creating, requires_action, processing, succeeded, failed, canceled "
                                             "or unavailable (the provider could not be reached; retry).")
    intent_id = serializers.CharField(allow_null=True)
    client_secret = serializers.CharField(allow_blank=True, help_text="Confirm the card with Stripe.js using this.")
    publishable_key = serializers.CharField()
    amount = MoneySerializer()

