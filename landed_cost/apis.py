"""Landed-cost quotes: duties and taxes for a cart or a list of variants to a destination."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.addresses import ADDRESS_RULES
from accounts.selectors import buyer_currency
from config.errors import NotAuthenticated
from landed_cost import selectors as landed_cost
from orders import selectors as order_selectors
from shop import selectors as shop_selectors
from shop.serializers import MoneySerializer

# A quote answers at most what one cart can hold, so an anonymous caller cannot make it work for seconds.
QUOTE_MAX_LINES = settings.LIVEDOCK_MAX_CART_LINES
QUOTE_MAX_QUANTITY = settings.LIVEDOCK_MAX_QUANTITY_PER_LINE


class QuoteLineInputSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    quantity = serializers.IntegerField(min_value=1, max_value=QUOTE_MAX_QUANTITY,
                                        help_text="At most what one cart line may hold.")


class QuoteInputSerializer(serializers.Serializer):
    destination = serializers.CharField(min_length=2, max_length=2, help_text="ISO country code, e.g. DE.")
    currency = serializers.CharField(required=False, max_length=3)
    lines = QuoteLineInputSerializer(many=True, required=False, allow_empty=False, max_length=QUOTE_MAX_LINES,
                                     help_text="Omit to quote the signed-in buyer's cart. At most as many lines "
                                               "as a cart holds.")

    def validate_destination(self, value: str) -> str:
        code = value.upper()
        if code not in ADDRESS_RULES:
            raise serializers.ValidationError(f"We do not ship to {value!r}.")
        return code


class _DutyLineSerializer(serializers.Serializer):
    sku = serializers.CharField()
    hs_code = serializers.CharField()
    scheme = serializers.CharField(help_text="MFN, RCEP or FLAT.")
    rule_id = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField()
    amount = MoneySerializer()
    mfn_amount = MoneySerializer()
    source = serializers.CharField()
    confidence = serializers.CharField()


class _TaxSerializer(serializers.Serializer):
    name = serializers.CharField()
    rate = serializers.CharField()
    base = MoneySerializer()
    assessed = MoneySerializer()
    amount = MoneySerializer()


class _FxSerializer(serializers.Serializer):
    base = serializers.CharField()
    quote = serializers.CharField()
    rate = serializers.CharField()
    source = serializers.CharField()
    estimate = serializers.BooleanField()


class _OriginDeclarationSerializer(serializers.Serializer):
    sku = serializers.CharField()
    hs_code = serializers.CharField()
    criterion = serializers.CharField()
    rcep_country_of_origin = serializers.CharField()
    quantity = serializers.IntegerField()
    unit = serializers.CharField()


class LandedCostOutputSerializer(serializers.Serializer):
    destination = serializers.CharField()
    regime = serializers.CharField()
    regime_source = serializers.CharField()
    collection = serializers.CharField(help_text="DDP: duties and taxes are collected now.")
    estimate = serializers.BooleanField(help_text="True when an unverified rule or rate was used.")
    warnings = serializers.ListField(child=serializers.CharField())
    goods = MoneySerializer()
    shipping = MoneySerializer()
    customs_value = MoneySerializer()
    duty_lines = _DutyLineSerializer(many=True)
    duty = MoneySerializer()
    duty_assessed = MoneySerializer()
    tax = _TaxSerializer()
    total = MoneySerializer()
    preference_applied = serializers.BooleanField()
    saving_vs_mfn = MoneySerializer()
    fx = _FxSerializer(many=True)
    origin_declarations = _OriginDeclarationSerializer(many=True)


class LandedCostQuoteApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=QuoteInputSerializer, responses=LandedCostOutputSerializer,
                   summary="Duties, taxes and shipping to a destination, for my cart or listed variants",
                   tags=["checkout"])
    def post(self, request: Request) -> Response:
        data = QuoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lines = data.validated_data.get("lines")
        destination = data.validated_data["destination"]
        if lines is None:  # the signed-in buyer's cart
            if not request.user.is_authenticated:
                raise NotAuthenticated("Sign in to quote your cart, or list the variants.")
            currency = buyer_currency(buyer=request.user, requested=data.validated_data.get("currency"))
            breakdown = order_selectors.cart_landed_cost_quote(buyer=request.user, destination=destination,
                                                                currency=currency)
        else:
            currency = shop_selectors.currency_validate(
                data.validated_data.get("currency") or settings.LIVEDOCK_DEFAULT_CURRENCY)
            breakdown = landed_cost.variants_quote(destination=destination, currency=currency,
                                                   skus=[(line["sku"], line["quantity"]) for line in lines])
        return Response(breakdown.as_dict())
