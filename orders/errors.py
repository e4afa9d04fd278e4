"""Errors of carts, checkout and the order lifecycle."""

from config.errors import Conflict, InvalidInput


class CartEmpty(InvalidInput):
    code = "cart_empty"
    default_message = "The cart is empty."


class QuantityLimit(InvalidInput):
    code = "quantity_limit"
    default_message = "Quantity is outside what one order may contain."


class ShipmentStateError(Conflict):
    code = "shipment_state"
    default_message = "The shipment cannot do that in its current state."


