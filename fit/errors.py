"""Errors of size recommendations and size curves."""

from config.errors import InvalidInput


class NoSizeData(InvalidInput):
    code = "no_size_data"
    default_message = "This product has no size data to match feet against."



class NotEnoughBuyers(InvalidInput):
    code = "not_enough_buyers"
    default_message = "Too few buyers to show without exposing a person's feet."

