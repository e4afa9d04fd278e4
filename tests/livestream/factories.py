"""A live festival with a host, a session and a priced variant; lineups, deal carts and deal checkouts."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from livestream import services
from livestream.models import Festival, Host, HostAvailability, LiveBase, Studio
from orders.services.cart import cart_line_add
from orders.services.checkout import order_place
from shop.services import product_listing_refresh
from tests.accounts.factories import address_create, buyer_create
from tests.shop.factories import (
    FxRateFactory,
    PriceFactory,
    StockLevelFactory,
    UserFactory,
    VariantFactory,
    WarehouseFactory,
    priced_variant,
)


def make_world(variant=None):
    FxRateFactory(base="USD", quote="EUR", rate=Decimal("0.86"), as_of=dt.date(2026, 11, 20))
    now = timezone.now()
    base = LiveBase.objects.create(name="Base", city="Wenzhou")
    festival = Festival.objects.create(base=base, name="Fest", slug="fest", starts_at=now - dt.timedelta(hours=2),
                                       ends_at=now + dt.timedelta(days=2))
    studio = Studio.objects.create(base=base, name="A")
    host = Host.objects.create(user=UserFactory(), handle="lily", display_name="Lily")
    HostAvailability.objects.create(host=host, starts_at=now - dt.timedelta(hours=2),
                                    ends_at=now + dt.timedelta(days=1))
    session = services.live_session_schedule(festival=festival, studio=studio, host=host, title="Boots night",
                                             starts_at=now - dt.timedelta(minutes=30),
                                             ends_at=now + dt.timedelta(hours=2))
    variant = variant or priced_variant(amount="100.00", stock=50)
    return host, session, variant


def approved_item(host, session, variant, price="90.00", commission="0.15"):
    item = services.lineup_request(host=host, session_id=session.pk, product_id=variant.product_id,
                                   price=Decimal(price), currency="USD", commission_rate=Decimal(commission),
                                   quantity=100)
    return services.lineup_decide(manufacturer_id=variant.product.manufacturer_id, item_id=item.pk, action="approve")


def buyer_with_deal_cart(variant, deal, quantity=1):
    buyer = buyer_create()
    address = address_create(buyer)
    cart_line_add(buyer=buyer, variant_id=variant.pk, quantity=quantity, deal_id=deal.pk)
    return buyer, address


def checkout(buyer, address, key):
    return order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key=key, request_hash="h")


def live_deal_create(*, cap: int = 5, per_buyer_limit: int = 1):
    """A live session with a deal at 59.00 USD (5 units, one per buyer, by default) running for 30 minutes."""
    host, session, variant = make_world()
    item = approved_item(host, session, variant)
    services.session_go_live(host=host, session_id=session.pk)
    deal = services.deal_launch(host=host, session_id=session.pk, lineup_item_id=item.pk, deal_price=Decimal("59.00"),
                                quantity_cap=cap, per_buyer_limit=per_buyer_limit, duration_minutes=30)
    return host, session, variant, deal


def claim_for(buyer, deal, variant, *, quantity: int = 1, idempotency_key: str = ""):
    """A claim made the way the claim API makes it."""
    return services.deal_claim(buyer_id=buyer.pk, deal_id=deal.pk, variant_id=variant.pk,
                               product_id=variant.product_id, quantity=quantity, idempotency_key=idempotency_key)


def sized_product(stock: dict[str, list[int]]):
    """One product in several sizes at 100.00 USD, its units per size in warehouses (size label -> units in
    the manufacturer's default warehouse, then in a second one). Returns the variants by size label."""
    first = VariantFactory(size_label=next(iter(stock)))
    product = first.product
    warehouses = [WarehouseFactory(manufacturer=product.manufacturer) for _ in range(2)]
    product.manufacturer.default_warehouse = warehouses[0]
    product.manufacturer.save(update_fields=["default_warehouse"])
    variants = {}
    for label, units in stock.items():
        variant = first if label == first.size_label else VariantFactory(product=product, size_label=label)
        PriceFactory(variant=variant, currency="USD", amount=Decimal("100.00"))
        # The second warehouse's row is made first, so its id is lower: the default warehouse still goes first.
        for warehouse, on_hand in reversed(list(zip(warehouses, units, strict=False))):
            StockLevelFactory(variant=variant, warehouse=warehouse, on_hand=on_hand)
        variants[label] = variant
    product_listing_refresh(product_ids=[product.pk])
    return variants
