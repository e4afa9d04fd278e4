"""Properties of stock reservations: the real stock services against PostgreSQL, with a bounded number of
sequences."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.errors import InvalidInput
from shop import services as stock_services
from shop.errors import InsufficientStock
from shop.models import StockLevel
from tests.shop.factories import VariantFactory, WarehouseFactory

stock_operations = st.lists(st.tuples(st.sampled_from(["reserve", "release", "ship", "count"]),
                                      st.integers(min_value=-2, max_value=15)), min_size=1, max_size=25)


@pytest.fixture
def stock_place(db):
    variant = VariantFactory()
    return variant, WarehouseFactory(manufacturer=variant.product.manufacturer)


def levels(level_id: int) -> tuple[int, int]:
    return StockLevel.objects.values_list("on_hand", "reserved").get(pk=level_id)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(initial=st.integers(min_value=0, max_value=20), operations=stock_operations)
def test_stock_never_goes_below_what_is_reserved_and_a_refusal_changes_nothing(stock_place, initial, operations):
    variant, warehouse = stock_place
    with transaction.atomic():  # each sequence starts from its own fresh row
        level = StockLevel.objects.create(variant=variant, warehouse=warehouse, on_hand=initial)
        on_hand, reserved = initial, 0
        for operation, quantity in operations:
            before = levels(level.pk)
            try:
                if operation == "reserve":
                    outcome = stock_services.stock_take(stock_level_id=level.pk, wanted=quantity)
                elif operation == "release":
                    outcome = stock_services.stock_release(stock_level_id=level.pk, quantity=quantity)
                elif operation == "ship":
                    outcome = stock_services.stock_ship(stock_level_id=level.pk, quantity=quantity)
                else:
                    outcome = stock_services.stock_set(variant=variant, warehouse=warehouse, on_hand=quantity)
            except (InvalidInput, InsufficientStock) as refused:
                outcome = refused
            except IntegrityError as exc:  # the database's own check caught what the service let through
                raise AssertionError(f"{operation}({quantity}) at {before} broke a constraint: {exc}") from exc

            if quantity <= 0 and operation != "count" or quantity < 0:
                assert isinstance(outcome, InvalidInput), (operation, quantity, outcome)
            elif operation == "reserve":
                assert outcome == min(quantity, on_hand - reserved)  # as many as are free, never more
                reserved += outcome
            elif operation in ("release", "ship"):
                assert outcome is (quantity <= reserved), (operation, quantity, on_hand, reserved)
                if outcome:
                    reserved -= quantity
                    on_hand -= quantity if operation == "ship" else 0
            elif quantity < reserved:
                assert isinstance(outcome, InsufficientStock)
            else:
                on_hand = quantity
            after = levels(level.pk)
            assert after == (on_hand, reserved), (operation, quantity, before, after)
            assert after[0] >= after[1] >= 0
        transaction.set_rollback(True)
