"""The buyer's cart: lines of variants and quantities, priced on read in the buyer's currency."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F

from config.errors import NotFound
from livestream import selectors as live_selectors
from shop import selectors as shop_selectors
from shop.errors import InsufficientStock, VariantUnavailable

from ..errors import QuantityLimit
from ..models import Cart, CartLine


def _quantity_checked(quantity: int) -> int:
    limit = settings.LIVEDOCK_MAX_QUANTITY_PER_LINE
    if not 1 <= quantity <= limit:
        raise QuantityLimit(f"Quantity must be between 1 and {limit}.",
                            fields={"quantity": [f"Between 1 and {limit}."]})
    return quantity


def _sellable_variant(variant_id: int):
    variant = shop_selectors.variants_for_sale(variant_ids=[variant_id]).get(variant_id)
    if variant is None:
        raise VariantUnavailable("No such item.", fields={"variant": ["Unknown variant."]})
    if not shop_selectors.variant_is_sellable(variant):
        raise VariantUnavailable("This item is no longer for sale.", fields={"variant": ["Not for sale."]})
    return variant


def _stock_checked(variant_id: int, quantity: int) -> None:
    levels = shop_selectors.stock_candidates(variant_ids=[variant_id]).get(variant_id, [])
    available = sum(max(level.on_hand - level.reserved, 0) for level in levels)
    if quantity > available:
        raise InsufficientStock(f"Only {available} available.", fields={"quantity": [f"At most {available}."]},
                                extra={"available": available})


def cart_for(*, buyer) -> Cart:
    cart, _ = Cart.objects.get_or_create(buyer=buyer)
    return cart


@transaction.atomic
def cart_line_add(*, buyer, variant_id: int, quantity: int, deal_id: int | None = None,
                  claim_id: int | None = None) -> CartLine:
    """Add units of a variant, at a running live deal's price when `deal_id` is given or the units of one
    of the buyer's claims (`claim_id`: its deal, size and quantity); adding a variant already in the cart
    raises its quantity."""
    claim = None
    if claim_id is not None:
        claim = live_selectors.claim_for_cart(buyer=buyer, claim_id=claim_id, variant_id=variant_id)
        deal_id, quantity = claim.deal_id, claim.quantity
    _quantity_checked(quantity)
    variant = _sellable_variant(variant_id)
    if deal_id is not None and claim is None:
        live_selectors.deal_for_cart(deal_id=deal_id, product_id=variant.product_id, variant_id=variant_id,
                                     quantity=quantity)
    cart = Cart.objects.select_for_update().get(pk=cart_for(buyer=buyer).pk)
    line = CartLine.objects.filter(cart=cart, variant_id=variant_id).first()
    if claim is not None and line is not None:
        raise QuantityLimit("This size is in the cart already; check it out or remove it before adding a claim.",
                            fields={"claim": ["Size already in the cart."]})
    new_quantity = (line.quantity if line else 0) + quantity
    _quantity_checked(new_quantity)
    if line is None and cart.lines.count() >= settings.LIVEDOCK_MAX_CART_LINES:
        raise QuantityLimit(f"A cart holds at most {settings.LIVEDOCK_MAX_CART_LINES} different items.",
                            fields={"variant": ["Cart is full."]})
    if deal_id is None:  # a deal's units were set aside for it at launch: the deal's checks above decide
        _stock_checked(variant_id, new_quantity)
    if line is None:
        line = CartLine.objects.create(cart=cart, variant_id=variant_id, quantity=quantity, deal_id=deal_id,
                                       claim=claim)
    else:
        CartLine.objects.filter(pk=line.pk).update(quantity=F("quantity") + quantity, deal_id=deal_id)
        line.refresh_from_db()
    cart.save(update_fields=["updated_at"])
    return line


def _own_line(buyer, line_id: int) -> CartLine:
    line = CartLine.objects.filter(pk=line_id, cart__buyer=buyer).first()
    if line is None:
        raise NotFound("No such cart line.")
    return line


@transaction.atomic
def cart_line_update(*, buyer, line_id: int, quantity: int) -> CartLine:
    line = _own_line(buyer, line_id)
    if line.claim_id is not None and quantity != line.quantity:
        raise QuantityLimit("A claimed deal line holds the claim's units; claim again for more.",
                            fields={"quantity": [f"The claim's {line.quantity}."]})
    _quantity_checked(quantity)
    variant = _sellable_variant(line.variant_id)
    if line.deal_id is not None:
        live_selectors.deal_for_cart(deal_id=line.deal_id, product_id=variant.product_id,
                                     variant_id=line.variant_id, quantity=quantity)
    else:
        _stock_checked(line.variant_id, quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    return line


@transaction.atomic
def cart_line_remove(*, buyer, line_id: int) -> None:
    _own_line(buyer, line_id).delete()
