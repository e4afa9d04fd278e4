from tests.orders.conftest import customs_rules, rates  # noqa: F401 - shared fixtures
