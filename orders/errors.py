"""Errors of carts, checkout and the order lifecycle."""

from config.errors import Conflict, InvalidInput


class CartEmpty(InvalidInput):
    code = "cart_empty"
    default_message = "The cart is empty."


class QuantityLimit(InvalidInput):
    code = "quantity_limit"
    default_message = "Quantity is outside what one order may contain."


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    default_message = "This Idempotency-Key was already used with a different request body."


class IdempotencyKeyInvalid(InvalidInput):
    code = "idempotency_key_invalid"
    default_message = "Send an Idempotency-Key header of 8 to 255 letters, digits, '-', '_', ':' or '.'."


class ShipmentStateError(Conflict):
    code = "shipment_state"
    default_message = "The shipment cannot do that in its current state."


