"""The buyer's cart: lines of variants and quantities, priced on read in the buyer's currency."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from accounts.selectors import buyer_currency
from config.errors import NotFound
from livestream import selectors as live_selectors
from shop import selectors as shop_selectors
from shop.errors import InsufficientStock, VariantUnavailable

from .. import selectors
from ..errors import QuantityLimit
from ..models import Cart, CartLine
from ..selectors import PricedCart


def _quantity_checked(quantity: int) -> int:
    limit = settings.LIVEDOCK_MAX_QUANTITY_PER_LINE
    if not 1 <= quantity <= limit:
        raise QuantityLimit(f"Quantity must be between 1 and {limit}.",
                            fields={"quantity": [f"Between 1 and {limit}."]})
    return quantity


def _sellable_checked(variant):
    if not shop_selectors.variant_is_sellable(variant):
        raise VariantUnavailable("This item is no longer for sale.", fields={"variant": ["Not for sale."]})
    return variant


def _stock_checked(available: int, quantity: int) -> None:
    if quantity > available:
        raise InsufficientStock(f"Only {available} available.", fields={"quantity": [f"At most {available}."]},
                                extra={"available": available})


def _cart_locked(buyer) -> int:
    """The buyer's cart id, the cart created if missing; its row stays locked (and its updated_at set) until
    the transaction ends, so adds to one cart run one after the other. One statement."""
    (cart,) = Cart.objects.bulk_create([Cart(buyer=buyer)], update_conflicts=True, unique_fields=["buyer"],
                                       update_fields=["updated_at"])
    return cart.pk


@transaction.atomic
def cart_line_add(*, buyer, quantity: int, variant_id: int | None = None, sku: str | None = None,
                  deal_id: int | None = None, claim_id: int | None = None, currency: str | None = None) -> PricedCart:
    """Add units of a variant (by id or SKU), at a running live deal's price when `deal_id` is given or the
    units of one of the buyer's claims (`claim_id`: its deal, size and quantity); adding a variant already in
    the cart raises its quantity. Returns the cart as it now stands, priced in `currency` (by default the
    buyer's), from the rows this transaction read: nothing written is read back."""
    currency = currency or buyer_currency(buyer=buyer, requested=None)
    variant = shop_selectors.variant_for_cart(variant_id=variant_id, sku=sku)
    claim = None
    if claim_id is not None:
        claim = live_selectors.claim_for_cart(buyer=buyer, claim_id=claim_id, variant_id=variant.pk)
        deal_id, quantity = claim.deal_id, claim.quantity
    _quantity_checked(quantity)
    _sellable_checked(variant)
    if deal_id is not None and claim is None:
        live_selectors.deal_for_cart(deal_id=deal_id, product_id=variant.product_id, variant_id=variant.pk,
                                     quantity=quantity)
    cart_id = _cart_locked(buyer)
    lines = selectors.cart_lines(cart_id=cart_id)
    line = next((existing for existing in lines if existing.variant_id == variant.pk), None)
    if claim is not None and line is not None:
        raise QuantityLimit("This size is in the cart already; check it out or remove it before adding a claim.",
                            fields={"claim": ["Size already in the cart."]})
    new_quantity = (line.quantity if line else 0) + quantity
    _quantity_checked(new_quantity)
    if line is None and len(lines) >= settings.LIVEDOCK_MAX_CART_LINES:
        raise QuantityLimit(f"A cart holds at most {settings.LIVEDOCK_MAX_CART_LINES} different items.",
                            fields={"variant": ["Cart is full."]})
    stock = shop_selectors.stock_candidates(variants=[variant, *(other.variant for other in lines
                                                                 if other is not line)])
    if deal_id is None:  # a deal's units were set aside for it at launch: the deal's checks above decide
        _stock_checked(selectors.units_free(stock, variant.pk), new_quantity)
    if line is None:
        line = CartLine.objects.create(cart_id=cart_id, variant=variant, quantity=quantity, deal_id=deal_id,
                                       claim=claim)
        lines.append(line)
    else:
        # The cart row is locked: the quantity checked above is the one stored.
        CartLine.objects.filter(pk=line.pk).update(quantity=new_quantity, deal_id=deal_id)
        line.quantity, line.deal_id = new_quantity, deal_id
    return selectors.cart_priced_from(lines=lines, stock=stock, currency=currency)


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
    variant = _sellable_checked(shop_selectors.variant_for_cart(variant_id=line.variant_id))
    if line.deal_id is not None:
        live_selectors.deal_for_cart(deal_id=line.deal_id, product_id=variant.product_id,
                                     variant_id=line.variant_id, quantity=quantity)
    else:
        _stock_checked(selectors.units_free(shop_selectors.stock_candidates(variants=[variant]), variant.pk),
                       quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    return line


@transaction.atomic
def cart_line_remove(*, buyer, line_id: int) -> None:
    _own_line(buyer, line_id).delete()
