"""Errors of the catalog, stock, prices and money; other apps raise these too for the same condition."""

from config.errors import Conflict, InvalidInput


class FxRateUnavailable(InvalidInput):
    code = "fx_rate_unavailable"
    default_message = "No exchange rate is on file for this currency."



class UnsupportedCurrency(InvalidInput):
    code = "unsupported_currency"
    default_message = "We do not price in this currency."



class VariantUnavailable(InvalidInput):
    code = "variant_unavailable"
    default_message = "This item is not for sale."



class InsufficientStock(Conflict):
    code = "insufficient_stock"
    default_message = "Not enough stock."



class PaymentNotPossible(InvalidInput):
    code = "payment_not_possible"
    default_message = "This amount cannot be charged."

