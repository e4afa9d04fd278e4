"""The API fuzzed from its own OpenAPI schema (served at /api/schema/), as every kind of caller.

The schema is fetched from the WSGI application, as a client would. Each caller's test builds a
small world of real objects (a manufacturer with stock, a buyer with an address, a foot profile, a
cart and a delivered order, a host with a live session, its lineup, a deal and a streaming tool) and
lets schemathesis generate requests for the operations that caller uses: valid ones whose path,
query and body identifiers name those real objects, valid random ones, and invalid ones. Callers
who must be refused get a few cases each and must get exactly 401 or 403. No response may be a
5xx; every response must match its documented status code, content type and schema; every error
body must be the project's one error shape, and documented as such. Each case runs in a savepoint
that is rolled back, so every case meets the same world and a failure replays the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import traceback
from decimal import Decimal
from urllib.parse import unquote, urlsplit

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis import GenerationMode
from werkzeug.test import Client

from fit.models import FootProfile
from livestream import services as live_services
from livestream.models import Festival, Host, HostAvailability, LiveBase, SessionRequest, Studio
from orders.services import lifecycle
from orders.services.cart import cart_line_add
from orders.services.checkout import order_place
from tests.accounts.factories import address_create, buyer_create
from tests.payments.factories import order_pay
from tests.shop.factories import MembershipFactory, UserFactory, priced_variant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("customs_rules")]  # checkouts quote duties

BUYER_PASSWORD = "Sturdy-pass-42"  # what tests.orders.factories.buyer_create registers with

# The Server-Sent Events stream never ends by itself (it closes after LIVEDOCK_SSE_MAX_SECONDS): a
# request to it holds the test for that long, and its body is a stream, not a document to validate.
# tests/livestream/test_realtime.py covers it.
SSE_OPERATION = "live_sessions_events"

MAX_EXAMPLES = 10


def fuzz_settings(max_examples: int) -> settings:
    """Small and fixed: the whole module stays around a minute on two cores, and a failure replays the
    same cases on every run."""
    return settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


class _Application:
    """Django's WSGI application as the test client runs it: the request signals do not close the
    connection, which holds the test's transaction. Exceptions the handler turned into a 500 are
    kept so a failure shows the traceback, not only the status."""

    def __init__(self):
        self.handler = get_wsgi_application()
        self.errors: list[str] = []

    def __call__(self, environ, start_response):
        return self.handler(environ, start_response)

    def on_exception(self, sender, request=None, **kwargs):
        self.errors.append(traceback.format_exc())


@pytest.fixture(scope="module")
def application():
    app = _Application()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    signals.got_request_exception.connect(app.on_exception)
    yield app
    signals.got_request_exception.disconnect(app.on_exception)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def api_schema(application):
    """The schema the running application serves, as a client would fetch it."""
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=schemathesis.Config())


# --- The world the requests aim at ------------------------------------------------------------------

class World:
    """Real objects and the identifiers a request can name them by."""

    def __init__(self):
        now = timezone.now()
        self.manufacturer_staff = MembershipFactory()
        manufacturer = self.manufacturer_staff.manufacturer
        self.variant = priced_variant(amount="120.00", stock=40, product__manufacturer=manufacturer,
                                      product__gender="men")
        self.other_variant = priced_variant(amount="80.00", stock=2, product__manufacturer=manufacturer)
        self.spare_variant = priced_variant(amount="60.00", stock=5, product__manufacturer=manufacturer)

        # A buyer with an address, a foot profile, a cart line and a paid, delivered order.
        self.buyer = buyer_create(currency="EUR")
        self.address = address_create(self.buyer)
        self.profile = FootProfile.objects.create(buyer=self.buyer, left_length_mm=258, right_length_mm=256,
                                                  measured_on=dt.date(2026, 11, 1))
        cart_line_add(buyer=self.buyer, variant_id=self.variant.pk, quantity=1)
        self.order = order_pay(order_place(buyer=self.buyer, address_id=self.address.pk, currency="EUR",
                                           idempotency_key="fuzz-world-order", request_hash="h").order)
        staff = self.manufacturer_staff.user
        for shipment in self.order.shipments.all():
            lifecycle.shipment_mark_packed(shipment_id=shipment.pk, actor=staff)
            lifecycle.shipment_mark_shipped(shipment_id=shipment.pk, actor=staff, carrier="SF", tracking_number="SF1")
            lifecycle.shipment_mark_delivered(shipment_id=shipment.pk, actor=staff)
        self.order_line = self.order.lines.get()
        cart_line_add(buyer=self.buyer, variant_id=self.other_variant.pk, quantity=1)
        self.cart_line = self.buyer.cart.lines.get()

        # A host with a live session in a running festival: an approved, a countered item and a deal.
        base = LiveBase.objects.create(name="Wenzhou base", city="Wenzhou")
        self.festival = Festival.objects.create(base=base, name="Winter boots", slug="winter-boots",
                                                starts_at=now - dt.timedelta(hours=2),
                                                ends_at=now + dt.timedelta(days=2))
        self.studio = Studio.objects.create(base=base, name="Studio A")
        self.host = Host.objects.create(user=UserFactory(), handle="lily", display_name="Lily")
        HostAvailability.objects.create(host=self.host, starts_at=now - dt.timedelta(hours=2),
                                        ends_at=now + dt.timedelta(days=2))
        self.session = live_services.live_session_schedule(
            festival=self.festival, studio=self.studio, host=self.host, title="Boots night",
            starts_at=now - dt.timedelta(minutes=30), ends_at=now + dt.timedelta(hours=3))
        SessionRequest.objects.create(festival=self.festival, host=self.host, manufacturer=manufacturer,
                                      title="Loafers hour", duration_minutes=60, wished_windows=[])
        approved = live_services.lineup_request(
            host=self.host, session_id=self.session.pk, product_id=self.variant.product_id, price=Decimal("110.00"),
            currency="USD", commission_rate=Decimal("0.10"), quantity=30)
        self.lineup_item = live_services.lineup_decide(manufacturer_id=manufacturer.pk, item_id=approved.pk,
                                                       action="approve")
        countered = live_services.lineup_request(
            host=self.host, session_id=self.session.pk, product_id=self.other_variant.product_id,
            price=Decimal("70.00"), currency="USD", commission_rate=Decimal("0.10"), quantity=2)
        self.countered_item = live_services.lineup_decide(
            manufacturer_id=manufacturer.pk, item_id=countered.pk, action="counter",
            counter_price=Decimal("75.00"), counter_commission_rate=Decimal("0.08"))
        live_services.session_go_live(host=self.host, session_id=self.session.pk)
        self.deal = live_services.deal_launch(
            host=self.host, session_id=self.session.pk, lineup_item_id=self.lineup_item.pk,
            deal_price=Decimal("99.00"), quantity_cap=5, per_buyer_limit=2, duration_minutes=60)
        _tool, self.tool_token = live_services.streaming_tool_create(host=self.host, name="OBS")

        self.operator = UserFactory(is_staff=True, is_superuser=True)

    def path_values(self, path: str) -> dict:
        """Path parameters of real objects, by the path they appear in."""
        values = {"session_id": self.session.pk, "deal_id": self.deal.pk, "item_id": self.countered_item.pk,
                  "address_id": self.address.pk, "profile_id": self.profile.pk, "line_id": self.cart_line.pk,
                  "number": self.order.number}
        if "/orders/" in path:
            values["line_id"] = self.order_line.pk
        values["slug"] = self.festival.slug if "/festivals/" in path else self.variant.product.slug
        return values

    def field_values(self) -> dict:
        """Body and query fields that name real objects."""
        return {"variant": self.variant.sku, "sku": self.variant.sku, "address_id": self.address.pk,
                "profile": self.profile.pk, "lineup_item": self.lineup_item.pk, "deal": self.deal.pk,
                "product": self.spare_variant.product.slug, "festival": self.festival.slug,
                "host": self.host.handle, "studio_id": self.studio.pk, "line_id": self.order_line.pk,
                "email": self.buyer.email, "password": BUYER_PASSWORD, "destination": "DE", "currency": "EUR",
                "quantity": 1, "quantity_cap": 1, "deal_price": "95.00"}


@pytest.fixture
def world(rates, customs_rules):  # noqa: F811 - the shared fixtures
    return World()


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}


def buyer_login(world: World, application) -> dict[str, str]:
    """A buyer signs in through the login endpoint, as a storefront does."""
    response = Client(application).post("/api/v1/auth/login/",
                                        json={"email": world.buyer.email, "password": BUYER_PASSWORD})
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.json['access']}"}


# --- Checks ------------------------------------------------------------------------------------------

# positive_data_acceptance wants every schema-valid request accepted, but a schema cannot say which
# SKUs, destinations or passwords pass the business rules: those are refused with a 400 by design.
EXCLUDED_CHECKS = [schemathesis.checks.positive_data_acceptance]


def error_shape(ctx, response, case):
    """Every 4xx and 5xx body is {"error": {"code": str, "message": str, "fields": {...}}}, and the
    operation documents that status with the ErrorResponse schema."""
    if response.status_code < 400:
        return True
    body = json.loads(response.content)
    assert isinstance(body, dict) and set(body) == {"error"}, f"Not the error shape: {body!r}"
    error = body["error"]
    assert isinstance(error.get("code"), str) and error["code"], f"No error code: {body!r}"
    assert isinstance(error.get("message"), str) and error["message"], f"No error message: {body!r}"
    assert isinstance(error.get("fields"), dict), f"No error fields: {body!r}"
    documented = case.operation.definition.raw["responses"].get(str(response.status_code))
    if documented is not None:  # an undocumented status is status_code_conformance's failure
        schema_ref = documented.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
        assert schema_ref.endswith("/ErrorResponse"), (
            f"{response.status_code} is documented without the error shape: {documented!r}")
    return True


def _aim_at_world(case, world: World) -> None:
    """Point the query and body fields of a valid case that name objects at real ones."""
    fields = world.field_values()
    for name in list(case.query or {}):
        if name in fields:
            case.query[name] = fields[name]
    bodies = [case.body] if isinstance(case.body, dict) else []
    if isinstance(case.body, dict):
        bodies += [item for value in case.body.values() if isinstance(value, list) for item in value
                   if isinstance(item, dict)]
    for body in bodies:
        for name in list(body):
            if name in fields:
                body[name] = fields[name]


def _strategy(operation, world: World):
    """Valid and invalid random cases, and valid ones aimed at the world's real objects."""
    real = world.path_values(operation.path)
    aimed = operation.as_strategy(GenerationMode.POSITIVE, path_parameters={
        parameter.name: real[parameter.name] for parameter in operation.path_parameters if parameter.name in real})
    return st.one_of(aimed.map(lambda case: (_aim_at_world(case, world), case)[1]),
                     operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))


def refused_with(status: int):
    """A caller without the right role is refused before anything else happens; only a URL that names
    no endpoint at all (a path parameter the route cannot match) answers 404 instead."""

    def refused(ctx, response, case):
        try:
            resolve(unquote(urlsplit(response.request.url).path))
        except Resolver404:
            assert response.status_code == 404, f"Expected 404 for a URL with no endpoint, got {response.status_code}"
            return True
        assert response.status_code == status, f"Expected {status} for this caller, got {response.status_code}"
        return True

    refused.__name__ = f"refused_with_{status}"
    return refused


def fuzz_operation(operation, world: World, application: _Application, *, headers, max_examples: int,
                   checks) -> None:
    """Every check on each generated case; raises with schemathesis' report on the first failure."""

    @fuzz_settings(max_examples)
    @given(case=_strategy(operation, world))
    def run(case):
        cache.clear()  # rate limits and login backoff start afresh, so every case replays the same way
        application.errors.clear()
        with transaction.atomic():  # each case meets the same world
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        if response.status_code >= 500 and application.errors:
            print(application.errors[-1])  # the server's traceback, shown with the failure below
        case.validate_response(response, headers=headers, excluded_checks=EXCLUDED_CHECKS, additional_checks=checks)

    run()


def fuzz(world: World, application: _Application, *, operations, headers=None, max_examples: int = MAX_EXAMPLES,
         extra_checks=()) -> list[str]:
    """Run each operation's cases; return one report per operation that failed. `headers` is a dict or a
    function of the operation."""
    failures = []
    for operation in operations:
        try:
            fuzz_operation(operation, world, application, headers=headers(operation) if callable(headers) else headers,
                           max_examples=max_examples, checks=[error_shape, *extra_checks])
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every operation is tried, then the test fails
            failures.append(f"{operation.label}: {exc}")
    return failures


def operations_of(schema, *, tags=None, open_only=None):
    """The schema's operations (without the event stream), by tag, or by whether they need sign-in."""
    chosen = []
    for result in schema.get_all_operations():
        operation = result.ok()
        raw = operation.definition.raw
        if raw.get("operationId") == SSE_OPERATION:
            continue
        if tags is not None and not set(operation.tags or []) & set(tags):
            continue
        is_open = {} in raw.get("security", [{}])
        if open_only is not None and is_open != open_only:
            continue
        chosen.append(operation)
    assert chosen
    return chosen


def report(failures: list[str]) -> None:
    assert not failures, f"{len(failures)} operation(s) failed:\n\n" + "\n\n".join(failures)


BUYER_TAGS = ["cart", "checkout", "buyer", "fit", "orders"]
HOST_TAGS = ["host"]
OPERATOR_TAGS = ["operator"]
FEW = 3  # for callers that must only ever be refused


# --- One test per kind of caller ---------------------------------------------------------------------

def test_every_operation_but_the_event_stream_is_fuzzed(api_schema):
    operations = {(op.method.upper(), op.path) for op in operations_of(api_schema)}
    assert len(operations) == sum(len(ops) for ops in api_schema.raw_schema["paths"].values()) - 1
    by_role = (operations_of(api_schema, tags=BUYER_TAGS) + operations_of(api_schema, tags=HOST_TAGS)
               + operations_of(api_schema, tags=OPERATOR_TAGS) + operations_of(api_schema, open_only=True))
    assert {(op.method.upper(), op.path) for op in by_role} == operations  # each is some caller's own


def test_anonymous(api_schema, world, application):
    failures = fuzz(world, application, operations=operations_of(api_schema, open_only=True))
    failures += fuzz(world, application, operations=operations_of(api_schema, open_only=False), max_examples=FEW,
                     extra_checks=[refused_with(401)])
    report(failures)


def test_a_bad_token_is_refused_in_the_error_shape_everywhere(api_schema, world, application):
    headers = {"Authorization": "Bearer not-a-token"}
    report(fuzz(world, application, operations=operations_of(api_schema), headers=headers, max_examples=2))


def test_buyer(api_schema, world, application):
    headers = buyer_login(world, application)
    failures = fuzz(world, application, operations=operations_of(api_schema, tags=BUYER_TAGS), headers=headers)
    failures += fuzz(world, application, operations=operations_of(api_schema, tags=HOST_TAGS + OPERATOR_TAGS),
                     headers=headers, max_examples=FEW, extra_checks=[refused_with(403)])
    report(failures)


def test_live_host(api_schema, world, application):
    def headers(operation):
        if operation.path.endswith("/views/"):  # the host's streaming tool reports views with its own token
            return {"Authorization": f"Bearer {world.tool_token}"}
        return bearer(world.host.user)

    views = [op for op in operations_of(api_schema, tags=["live"]) if op.path.endswith("/views/")]
    failures = fuzz(world, application, operations=operations_of(api_schema, tags=HOST_TAGS) + views,
                    headers=headers)
    failures += fuzz(world, application, operations=operations_of(api_schema, tags=OPERATOR_TAGS),
                     headers=bearer(world.host.user), max_examples=FEW, extra_checks=[refused_with(403)])
    report(failures)


def test_manufacturer_staff(api_schema, world, application):
    """Manufacturer staff work in the admin, scoped to their own rows; the operator and host APIs are
    not theirs."""
    report(fuzz(world, application, operations=operations_of(api_schema, tags=OPERATOR_TAGS + HOST_TAGS),
                headers=bearer(world.manufacturer_staff.user), max_examples=FEW, extra_checks=[refused_with(403)]))


def test_operator(api_schema, world, application):
    report(fuzz(world, application, operations=operations_of(api_schema, tags=OPERATOR_TAGS),
                headers=bearer(world.operator)))


# --- Hostile requests --------------------------------------------------------------------------------
#
# The same operations, each case sent the way a probe sends it: with forwarded-for headers no proxy of ours
# wrote, with an invented method, with a NUL byte in a path parameter or the query, or with a JSON body nested
# past any parser's patience. Whatever comes, no 5xx, and every refusal is the one error shape.

FORWARDED_GARBAGE = ["garbage", "999.999.1.1, ::zz, , 1.2.3.4", "127.0.0.1, " * 400 + "10.0.0.1", "\x00",
                     "unknown;for=_hidden"]
ODD_METHODS = ["PROBEMETHOD", "PROPFIND", "TRACE", "BREW"]
BOTTOMLESS_JSON = "[" * 50_000 + "]" * 50_000
HOSTILE_EXAMPLES = 3


def _with_nul(case) -> None:
    """A NUL byte in a path parameter when the route has one, else in a query value."""
    if case.path_parameters:
        name = sorted(case.path_parameters)[0]
        case.path_parameters[name] = f"{case.path_parameters[name]}\x00"
    else:
        case.query = {**(case.query or {}), "q": "\x00"}


def hostile_request(case, variant: str, garbage: str, method: str, headers: dict) -> dict:
    """Werkzeug's request arguments for the case, made hostile one way."""
    if variant == "nul":
        _with_nul(case)
    kwargs = case.as_transport_kwargs(headers=headers)
    kwargs["headers"] = {**kwargs["headers"], "X-Forwarded-For": garbage, "X-Real-IP": garbage,
                         "Forwarded": f"for={garbage!r}"}
    if variant == "method":
        kwargs["method"] = method
    elif variant == "deep":
        kwargs.pop("json", None)
        kwargs["data"] = BOTTOMLESS_JSON
        kwargs["headers"]["Content-Type"] = "application/json"
    return kwargs


def assert_hostile_answer(response, where: str) -> None:
    assert response.status_code < 500, f"{where}: {response.status_code} {response.get_data(as_text=True)[:500]}"
    if response.status_code >= 400:
        body = json.loads(response.get_data())
        assert set(body) == {"error"} and set(body["error"]) >= {"code", "message", "fields"}, f"{where}: {body!r}"
        assert isinstance(body["error"]["message"], str) and body["error"]["message"], f"{where}: {body!r}"


def fuzz_hostile_operation(operation, variant: str, world: World, application: _Application, *, headers) -> None:
    client = Client(application)

    @fuzz_settings(HOSTILE_EXAMPLES)
    @given(case=_strategy(operation, world), garbage=st.sampled_from(FORWARDED_GARBAGE),
           method=st.sampled_from(ODD_METHODS))
    def run(case, garbage, method):
        cache.clear()
        application.errors.clear()
        kwargs = hostile_request(case, variant, garbage, method, headers)
        with transaction.atomic():
            response = client.open(**kwargs)
            transaction.set_rollback(True)
        if response.status_code >= 500 and application.errors:
            print(application.errors[-1])
        assert_hostile_answer(response, f"{variant} {kwargs['method']} {kwargs['path']}")

    run()


def fuzz_hostile(world: World, application: _Application, *, operations, headers) -> list[str]:
    failures = []
    for operation in operations:
        for variant in ("forwarded", "method", "nul", "deep"):
            try:
                fuzz_hostile_operation(operation, variant, world, application, headers=headers(operation))
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every operation is tried, then it fails
                failures.append(f"{operation.label} ({variant}): {exc}")
    return failures


def test_hostile_requests_as_every_kind_of_caller(api_schema, world, application):
    """Every operation as anonymous, and as the caller it is for (buyer, host, operator)."""
    buyer = buyer_login(world, application)

    def own_caller(operation):
        tags = set(operation.tags or [])
        if operation.path.endswith("/views/"):
            return {"Authorization": f"Bearer {world.tool_token}"}
        if tags & set(HOST_TAGS):
            return bearer(world.host.user)
        if tags & set(OPERATOR_TAGS):
            return bearer(world.operator)
        return buyer

    failures = fuzz_hostile(world, application, operations=operations_of(api_schema), headers=lambda op: {})
    failures += fuzz_hostile(world, application, operations=operations_of(api_schema, open_only=False),
                             headers=own_caller)
    report(failures)
