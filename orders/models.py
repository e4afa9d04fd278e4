"""Buyers, carts, orders, shipments and the order state machine."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Cart(models.Model):
    """A buyer's one open cart; checkout turns its lines into an order and empties it."""

    buyer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"cart of {self.buyer}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("shop.Variant", on_delete=models.CASCADE, related_name="+")
    deal = models.ForeignKey("livestream.FlashDeal", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", help_text="Bought at this live deal's price.")
    claim = models.ForeignKey("livestream.DealClaim", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text="The deal units held for this line, if claimed first.")
    quantity = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="cartline_one_per_variant"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cartline_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.variant_id}"


class OrderStatus(models.TextChoices):
    """Where the order's goods are. Its money has a status of its own (OrderPaymentStatus)."""

    PENDING_PAYMENT = "pending_payment", "Pending payment"
    PAID = "paid", "Paid, awaiting fulfilment"
    IN_FULFILMENT = "in_fulfilment", "In fulfilment"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


_S = OrderStatus
# The only moves an order can make. Anything else is refused by orders.services.order_transition.
ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    _S.PENDING_PAYMENT: frozenset({_S.PAID, _S.CANCELLED, _S.EXPIRED}),
    _S.PAID: frozenset({_S.IN_FULFILMENT, _S.CANCELLED}),
    _S.IN_FULFILMENT: frozenset({_S.SHIPPED}),
    _S.SHIPPED: frozenset({_S.DELIVERED}),
    _S.DELIVERED: frozenset(),
    _S.CANCELLED: frozenset(),
    _S.EXPIRED: frozenset(),
}
# The groups every module asks about, defined once:
ORDER_SHIPPABLE = frozenset({_S.PAID, _S.IN_FULFILMENT})  # parcels of it may still ship (and be declared)


class OrderPaymentStatus(models.TextChoices):
    """Where the order's money is: kept beside its fulfilment status, so a refund never stops a parcel."""

    UNPAID = "unpaid", "Not paid"
    AUTHORIZED = "authorized", "Authorised, not captured"
    PAID = "paid", "Paid"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"


_P = OrderPaymentStatus
# The buyer paid (a sale: refunds are deducted from sales, they do not undo them).
PAYMENT_TAKEN = frozenset({_P.AUTHORIZED, _P.PAID, _P.PARTIALLY_REFUNDED, _P.REFUNDED})
# Money captured and not all given back: it can be refunded, and it is owed to the manufacturers and hosts.
PAYMENT_CAPTURED = frozenset({_P.PAID, _P.PARTIALLY_REFUNDED})


class Order(models.Model):
    number = models.CharField(max_length=20, unique=True)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT)
    payment_status = models.CharField(max_length=20, choices=OrderPaymentStatus.choices,
                                      default=OrderPaymentStatus.UNPAID)
    currency = models.CharField(max_length=3)
    goods_total = models.DecimalField(max_digits=14, decimal_places=3)
    shipping_total = models.DecimalField(max_digits=14, decimal_places=3, default=Decimal(0))
    duties_total = models.DecimalField(max_digits=14, decimal_places=3, default=Decimal(0))
    taxes_total = models.DecimalField(max_digits=14, decimal_places=3, default=Decimal(0))
    total = models.DecimalField(max_digits=14, decimal_places=3)
    shipping_address = models.JSONField(help_text="Snapshot of the address at checkout.")
    destination_country = models.CharField(max_length=2)
    reservation_expires_at = models.DateTimeField(
        help_text="Unpaid past this, the order expires and its stock returns (unless a payment is in progress)."
    )
    payment_hold_until = models.DateTimeField(
        null=True, blank=True, help_text="A payment is in progress: do not expire before this time."
    )
    cancel_reason = models.TextField(blank=True)
    landed_cost = models.JSONField(default=dict, blank=True,
                                   help_text="Snapshot of the duty and tax breakdown charged at checkout.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="order_status_valid"),
            models.CheckConstraint(condition=Q(payment_status__in=OrderPaymentStatus.values),
                                   name="order_payment_status_valid"),
            models.CheckConstraint(condition=Q(total__gte=0) & Q(goods_total__gte=0), name="order_totals_positive"),
            models.CheckConstraint(
                condition=Q(total=F("goods_total") + F("shipping_total") + F("duties_total") + F("taxes_total")),
                name="order_total_adds_up",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "reservation_expires_at"], name="order_status_expiry"),
            models.Index(fields=["buyer", "-created_at"], name="order_buyer_created"),
        ]

    def __str__(self) -> str:
        return self.number


class Shipment(models.Model):
    """One parcel: the lines of one manufacturer shipped from one warehouse. Customs declarations and
    tracking numbers attach here."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PACKED = "packed", "Packed"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    manufacturer = models.ForeignKey("shop.Manufacturer", on_delete=models.PROTECT, related_name="shipments")
    warehouse = models.ForeignKey("shop.Warehouse", on_delete=models.PROTECT, related_name="shipments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    carrier = models.CharField(max_length=60, blank=True)
    tracking_number = models.CharField(max_length=60, blank=True)
    waybill_number = models.CharField(
        max_length=60, blank=True, help_text="Our waybill (CEB505 logisticsNo) when we act for the carrier.")
    customs_status = models.CharField(max_length=20, default="not_declared",
                                      help_text="not_declared, declared, released or rejected (China export side).")
    packed_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "manufacturer", "warehouse"], name="shipment_one_per_parcel"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "packed", "shipped", "delivered", "cancelled"]),
                name="shipment_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["shipped", "delivered"]) | ~Q(tracking_number=""),
                name="shipment_shipped_has_tracking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number}/{self.pk}"


class OrderLine(models.Model):
    """A line as it was sold: everything customs, payouts and refunds need is copied here at checkout
    so later catalog changes never alter the order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="lines")
    variant = models.ForeignKey("shop.Variant", on_delete=models.PROTECT, related_name="+")
    stock_level = models.ForeignKey("shop.StockLevel", on_delete=models.PROTECT, related_name="+")
    manufacturer = models.ForeignKey("shop.Manufacturer", on_delete=models.PROTECT, related_name="order_lines")
    sku = models.CharField(max_length=64)
    product_name = models.CharField(max_length=200)
    product_name_zh = models.CharField(max_length=250, blank=True)
    size_label = models.CharField(max_length=20)
    colour = models.CharField(max_length=60, blank=True)
    gtin = models.CharField(max_length=14, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=14, decimal_places=3)
    line_total = models.DecimalField(max_digits=14, decimal_places=3)
    currency = models.CharField(max_length=3)
    # The manufacturer's own price and the rate that converted it.
    list_price = models.DecimalField(max_digits=14, decimal_places=3)
    list_currency = models.CharField(max_length=3)
    fx_rate = models.DecimalField(max_digits=20, decimal_places=10)
    fx_source = models.CharField(max_length=300)
    fx_as_of = models.DateField(null=True, blank=True)
    # Customs data.
    hs_code = models.CharField(max_length=6)
    cn_commodity_code = models.CharField(max_length=10)
    declaration_elements = models.TextField(blank=True)
    origin_country = models.CharField(max_length=2)
    legal_unit1 = models.CharField(max_length=3)
    legal_unit2 = models.CharField(max_length=3, blank=True)
    net_weight_kg = models.DecimalField(max_digits=8, decimal_places=3)
    gross_weight_kg = models.DecimalField(max_digits=8, decimal_places=3)
    upper_material = models.CharField(max_length=30, blank=True)
    outer_sole_material = models.CharField(max_length=30, blank=True)
    covers_ankle = models.BooleanField(default=False)
    gender = models.CharField(max_length=10, blank=True)
    rcep_origin_criterion = models.CharField(max_length=10, blank=True)
    rcep_origin_country = models.CharField(max_length=2, blank=True)
    # Stock: reserved at checkout; released exactly once (expiry, cancellation) or consumed at shipping.
    reservation_released = models.BooleanField(default=False)
    deal = models.ForeignKey("livestream.FlashDeal", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="order_lines")
    # Money: the live host's agreed commission on this line (0 outside live deals), and what was refunded.
    host_commission_rate = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal(0))
    refunded_quantity = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orderline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="orderline_price_positive"),
            models.CheckConstraint(condition=Q(refunded_quantity__lte=F("quantity")),
                                   name="orderline_refund_within_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"


class OrderEvent(models.Model):
    """Append-only history: every status change, who made it and why."""

    class ActorKind(models.TextChoices):
        BUYER = "buyer", "Buyer"
        OPERATOR = "operator", "Operator"
        MANUFACTURER = "manufacturer", "Manufacturer staff"
        SYSTEM = "system", "System"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_kind = models.CharField(max_length=20, choices=ActorKind.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '-'} -> {self.to_status}"


class IdempotencyRecord(models.Model):
    """A money-moving POST that succeeded, keyed by the client's Idempotency-Key: a repeat with the
    same key and body gets the same resource back and creates nothing; a different body is refused.
    Written in the same transaction as the resource, so a failed attempt leaves no record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    resource_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


