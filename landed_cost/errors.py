"""Errors of landed-cost quotes."""

from config.errors import InvalidInput


class QuoteNotPossible(InvalidInput):
    code = "landed_cost_unavailable"
    default_message = "Duties and taxes for this destination cannot be worked out."

