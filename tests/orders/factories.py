"""Carts and placed orders, made through the orders services."""

from orders.services.cart import cart_line_add
from orders.services.checkout import order_place
from tests.accounts.factories import address_create, buyer_create


def buyer_with_cart(variants_and_quantities, currency="EUR"):
    buyer = buyer_create(currency=currency)
    address = address_create(buyer)
    for variant, quantity in variants_and_quantities:
        cart_line_add(buyer=buyer, variant_id=variant.pk, quantity=quantity)
    return buyer, address


def order_placed(variants_and_quantities, *, key: str = "test-order-key", currency: str = "EUR"):
    """A fresh buyer's cart placed as an order (stock reserved, landed cost charged), not yet paid."""
    buyer, address = buyer_with_cart(variants_and_quantities, currency=currency)
    return order_place(buyer=buyer, address_id=address.pk, currency=currency, idempotency_key=key,
                       request_hash="h").order
