from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from payments.serializers import PaymentOutputSerializer
from shop.money import quantize
from shop.serializers import MoneySerializer

from .models import OrderPaymentStatus, OrderStatus


def money(amount, currency):
    return {"amount": str(quantize(amount, currency)), "currency": currency}




# Cart

class CartLineAddInputSerializer(serializers.Serializer):
    variant = serializers.CharField(max_length=64, help_text="The variant's SKU.")
    quantity = serializers.IntegerField(min_value=1, max_value=1000)
    deal = serializers.IntegerField(min_value=1, required=False, help_text="A running live deal to buy at.")
    claim = serializers.IntegerField(min_value=1, required=False,
                                     help_text="One of my claims on a live deal: its units and price, held for "
                                               "checkout (the quantity is the claim's).")


class CartLineUpdateInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=1000)


class CartQuerySerializer(serializers.Serializer):
    currency = serializers.CharField(required=False, max_length=3)


class CartLineOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="line.pk")
    sku = serializers.CharField(source="variant.sku")
    product_name = serializers.CharField(source="variant.product.name")
    product_slug = serializers.CharField(source="variant.product.slug")
    size_label = serializers.CharField(source="variant.size_label")
    colour = serializers.CharField(source="variant.colour")
    quantity = serializers.IntegerField(source="line.quantity")
    available = serializers.IntegerField()
    unit_price = serializers.SerializerMethodField()
    line_total = serializers.SerializerMethodField()
    problems = serializers.ListField(child=serializers.CharField())

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_unit_price(self, priced):
        return money(priced.unit_price, self.context["currency"]) if priced.unit_price is not None else None

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_line_total(self, priced):
        return money(priced.line_total, self.context["currency"]) if priced.line_total is not None else None


class CartOutputSerializer(serializers.Serializer):
    currency = serializers.CharField()
    lines = CartLineOutputSerializer(many=True)
    goods_total = serializers.SerializerMethodField()
    ready_for_checkout = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer)
    def get_goods_total(self, cart):
        return money(cart.goods_total, cart.currency)

    def get_ready_for_checkout(self, cart) -> bool:
        return bool(cart.lines) and not cart.problems


# Checkout and orders

class CheckoutInputSerializer(serializers.Serializer):
    address_id = serializers.IntegerField(min_value=1)
    currency = serializers.CharField(required=False, max_length=3,
                                     help_text="Defaults to the buyer's preferred currency.")


class OrderLineOutputSerializer(serializers.Serializer):
    sku = serializers.CharField()
    product_name = serializers.CharField()
    size_label = serializers.CharField()
    colour = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.SerializerMethodField()
    line_total = serializers.SerializerMethodField()
    shipment = serializers.IntegerField(source="shipment_id")

    @extend_schema_field(MoneySerializer)
    def get_unit_price(self, line):
        return money(line.unit_price, line.currency)

    @extend_schema_field(MoneySerializer)
    def get_line_total(self, line):
        return money(line.line_total, line.currency)


class ShipmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    shipped_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)


class OrderEventOutputSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor_kind = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class OrderSummaryOutputSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=OrderStatus.choices, help_text="Where the goods are.")
    payment_status = serializers.ChoiceField(choices=OrderPaymentStatus.choices, help_text=(
        "Where the money is: a refund changes this, never the goods' status."))
    currency = serializers.CharField()
    total = serializers.SerializerMethodField()
    item_count = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(MoneySerializer)
    def get_total(self, order):
        return money(order.total, order.currency)

    def get_item_count(self, order) -> int:
        return sum(line.quantity for line in order.lines.all())


class OrderOutputSerializer(OrderSummaryOutputSerializer):
    goods_total = serializers.SerializerMethodField()
    shipping_total = serializers.SerializerMethodField()
    duties_total = serializers.SerializerMethodField()
    taxes_total = serializers.SerializerMethodField()
    shipping_address = serializers.DictField(child=serializers.CharField(allow_blank=True))
    reservation_expires_at = serializers.DateTimeField()
    lines = OrderLineOutputSerializer(many=True)
    shipments = ShipmentOutputSerializer(many=True)
    events = OrderEventOutputSerializer(many=True)
    payment = serializers.SerializerMethodField()

    @extend_schema_field(PaymentOutputSerializer(allow_null=True))
    def get_payment(self, order):
        payment = getattr(order, "payment", None)  # a missing one-to-one raises AttributeError
        return None if payment is None else PaymentOutputSerializer(payment).data

    @extend_schema_field(MoneySerializer)
    def get_goods_total(self, order):
        return money(order.goods_total, order.currency)

    @extend_schema_field(MoneySerializer)
    def get_shipping_total(self, order):
        return money(order.shipping_total, order.currency)

    @extend_schema_field(MoneySerializer)
    def get_duties_total(self, order):
        return money(order.duties_total, order.currency)

    @extend_schema_field(MoneySerializer)
    def get_taxes_total(self, order):
        return money(order.taxes_total, order.currency)
