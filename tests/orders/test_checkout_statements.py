"""SQL statements of a plain checkout, counted exactly: a change that adds one fails here (and says which).

Savepoints are left out: they exist only because each test runs inside a transaction.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from audit.models import AuditEvent
from orders.models import Order
from orders.services.checkout import order_place
from payments.services.intents import payment_start
from tests.accounts.factories import address_create, buyer_create
from tests.livestream.factories import live_deal_create
from tests.orders.factories import buyer_with_cart, order_placed
from tests.shop.factories import priced_variant

pytestmark = pytest.mark.django_db

CART_LINES = reverse("orders:cart-line-list")
CHECKOUT = reverse("orders:checkout")


def statements(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def signed_in(user) -> APIClient:
    """A client with a real bearer token, so the user is read as in production."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


def test_adding_to_the_cart_takes_eight_statements(rates):
    first, second = priced_variant(stock=5), priced_variant(stock=5)
    client = signed_in(buyer_create())
    client.get(reverse("orders:cart"))  # this process reads the FX table once per version
    counted = []
    for sku in (first.sku, second.sku, first.sku):  # a new cart, a second line, more of the first line
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(CART_LINES, {"variant": sku, "quantity": 1}, format="json")
        assert response.status_code == 201, response.json()
        counted.append(statements(ctx))
    # The user with their currency, the variant, the cart (created or touched, and locked), its lines, the
    # stock, the line written, the prices, the FX table's version. The answer is priced from what was read.
    assert [len(sqls) for sqls in counted] == [8, 8, 8], counted
    assert counted[2][5].startswith('UPDATE "orders_cartline"')
    assert [(line["sku"], line["quantity"]) for line in response.json()["lines"]] == [
        (first.sku, 2), (second.sku, 1)]


def test_a_checkout_request_takes_eighteen_statements(rates):
    variant = priced_variant(stock=10)
    carts = [buyer_with_cart([(variant, 1)]) for _ in range(2)]
    counted = []
    for n, (buyer, address) in enumerate(carts):
        with CaptureQueriesContext(connection) as ctx:
            response = signed_in(buyer).post(CHECKOUT, {"address_id": address.pk}, format="json",
                                             HTTP_IDEMPOTENCY_KEY=f"count-key-{n:04d}")
        assert response.status_code == 201, response.json()
        assert response.json()["payment"]["status"] == "creating"  # a worker asks Stripe for the intent
        counted.append(statements(ctx))
    # 15 place the order (the user with their currency, then order_place below), 3 store its payment for a
    # worker to create the PaymentIntent. The first checkout of a rules version also reads the five rule
    # tables, once for this process.
    assert [len(sqls) for sqls in counted] == [23, 18], counted[1]


@pytest.mark.parametrize("n_lines", [1, 3, 6])
def test_placing_an_order_takes_thirteen_statements_and_one_per_line(rates, n_lines):
    order_placed([(priced_variant(stock=5), 1)], key="warm-up-key-1")  # rules and FX read once per version
    buyer, address = buyer_with_cart([(priced_variant(stock=5), 1) for _ in range(n_lines)])
    with CaptureQueriesContext(connection) as placing:
        order = order_place(buyer=buyer, address_id=address.pk, currency="EUR", idempotency_key="count-key-1",
                            request_hash="h").order
    # Cart lines with their variants, stock, the key claimed, the address, prices, the FX and rules versions,
    # the order (with its totals), the key's order, the event, the cart emptied, one locking reservation per
    # line, the parcels, the lines.
    assert len(statements(placing)) == 13 + n_lines, statements(placing)
    assert order.lines.count() == n_lines
    with CaptureQueriesContext(connection) as paying:
        payment_start(order_id=order.pk)
    assert len(statements(paying)) <= 8  # the PaymentIntent does not depend on the number of lines


def test_a_replayed_checkout_creates_nothing(rates):
    buyer, address = buyer_with_cart([(priced_variant(stock=5), 1)])
    client = signed_in(buyer)
    first = client.post(CHECKOUT, {"address_id": address.pk}, format="json", HTTP_IDEMPOTENCY_KEY="replay-key-1")
    with CaptureQueriesContext(connection) as ctx:
        again = client.post(CHECKOUT, {"address_id": address.pk}, format="json", HTTP_IDEMPOTENCY_KEY="replay-key-1")
    assert again["Idempotent-Replayed"] == "true" and again.json()["number"] == first.json()["number"]
    assert not any(sql.startswith(("INSERT", "UPDATE", "DELETE")) for sql in statements(ctx))
    assert Order.objects.count() == 1


def test_cart_and_checkout_write_no_audited_row_so_they_carry_no_audit_context():
    """Both paths skip the audit context (LIVEDOCK_AUDIT_SKIP_PATHS): it would prefix each of their statements,
    and they write none of the audited tables, a live deal's units included."""
    _host, _session, variant, deal = live_deal_create()
    plain = priced_variant(stock=5)
    buyer = buyer_create()
    address, client = address_create(buyer), signed_in(buyer)
    with CaptureQueriesContext(connection) as ctx:
        assert client.post(CART_LINES, {"variant": variant.sku, "quantity": 1, "deal": deal.pk},
                           format="json").status_code == 201
        assert client.post(CART_LINES, {"variant": plain.sku, "quantity": 1}, format="json").status_code == 201
        before = AuditEvent.objects.count()
        response = client.post(CHECKOUT, {"address_id": address.pk}, format="json", HTTP_IDEMPOTENCY_KEY="audit-key-1")
    assert response.status_code == 201, response.json()
    assert AuditEvent.objects.count() == before
    assert not any(q["sql"].startswith("SELECT set_config('pghistory") for q in ctx.captured_queries)
