"""The permission matrix: who may do what on every API route, every admin page and the host console.

Eight callers (anonymous, buyers A and B, hosts A and B, staff of manufacturers A and B, an operator)
act on one world in which each side owns real objects of every kind. The tables below are the
specification. A route, method, admin model or admin URL that exists without a row here fails the
suite, and so does a row for one that no longer exists: a new endpoint or admin page is added here
with the access it is meant to have.

Over 1,000 lines on purpose: the specification is one table read as a whole (who may reach what across
all apps, against one world), and the runner checks that the table and the URL conf agree exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
import stripe
from asgiref.sync import async_to_sync
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import AsyncClient, Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from rest_framework.test import APIClient
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import RefreshToken

from audit.models import AuditEvent
from customs.models import CustomsDeclaration
from customs.tasks import declare_shipment
from fit import services as fit
from fit.models import FitReport, FootProfile
from landed_cost.models import CustomsFxRate
from landed_cost.services import customs_rules_load
from live_sales.services import session_metrics_rollup
from livestream import services as live
from livestream.models import (
    DealPurchase,
    Festival,
    Host,
    HostAvailability,
    LiveBase,
    SessionMetrics,
    SessionRequest,
    Studio,
    ViewReport,
)
from orders.models import CartLine
from orders.services import lifecycle
from orders.services.cart import cart_line_add
from orders.services.checkout import order_place
from payments.models import Payment, Payout, Refund
from payments.services import payouts as payout_services
from payments.services import refunds as refund_services
from shop.models import CatalogTerm, StockLevel, Warehouse
from tests.accounts.factories import address_create, buyer_create
from tests.payments.factories import order_pay
from tests.shop.factories import (
    BrandFactory,
    FxRateFactory,
    MembershipFactory,
    UserFactory,
    category_create,
    priced_variant,
)

ROLES = ["anonymous", "buyer_a", "buyer_b", "host_a", "host_b", "staff_a", "staff_b", "operator"]
BUYERS, HOSTS, STAFF = ("buyer_a", "buyer_b"), ("host_a", "host_b"), ("staff_a", "staff_b")
NON_STAFF = ["anonymous", *BUYERS, *HOSTS]
# The admin turns away everyone who is not staff at its door, the same way for every page and method:
# every page is opened as each of them, and writes are tried signed out and signed in.
NON_STAFF_WRITERS = ("anonymous", "buyer_a")
PASSWORD = "Sturdy-pass-42"
FACTORY_PASSWORD = "pass-word-123"  # users made by UserFactory: hosts, staff, the operator


# --- the world --------------------------------------------------------------------------------------


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> User (anonymous: None)
    tokens: dict = field(default_factory=dict)  # role -> JWT access token
    refresh_tokens: dict = field(default_factory=dict)  # role -> a refresh token of buyer A's (each works once)
    tool_tokens: dict = field(default_factory=dict)  # host role -> streaming tool token
    # Objects a request can name: kind -> owning role -> path parameters and other values.
    targets: dict = field(default_factory=dict)
    # Admin rows: model label -> side ("a", "b", or "x" for rows that are no side's) -> primary key.
    rows: dict = field(default_factory=dict)
    makers: dict = field(default_factory=dict)  # side -> manufacturer (id, name)
    cart_lines: dict = field(default_factory=dict)  # role -> ids of its cart lines
    sessions: dict = field(default_factory=dict)  # role -> session key of a signed-in browser

    def target(self, kind: str, owner: str) -> dict:
        return self.targets[kind][owner]


def _target(world: World, kind: str, owner: str, **values) -> None:
    world.targets.setdefault(kind, {})[owner] = values


def _row(world: World, obj, side: str = "x") -> None:
    world.rows.setdefault(obj._meta.label_lower, {})[side] = obj.pk


def build_world() -> World:
    """Each side, A and B, gets a manufacturer with staff, catalogue and stock; a host with a live
    session (approved lineup, pinned product, running deal, views, metrics), an upcoming session with a
    countered lineup item and a session request; a buyer with an address, a foot profile, a cart, a
    delivered order (paid, declared to customs, part refunded, fit reported, paid out) holding lines of
    both manufacturers, and an unpaid order. Plus the shared rows every admin page needs."""
    world = World()
    now = timezone.now()
    customs_rules_load(path=Path(settings.BASE_DIR) / "data" / "customs" / "rules-2026-11.json")
    yesterday = now.date() - dt.timedelta(days=1)
    fx = FxRateFactory(base="USD", quote="EUR", rate=Decimal("0.8600000000"), as_of=yesterday)
    FxRateFactory(base="USD", quote="CNY", rate=Decimal("7.10"), as_of=yesterday)
    category = category_create("shoes")
    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    world.users.update(anonymous=None, operator=operator)

    base = LiveBase.objects.create(name="Wenzhou shoe base", city="Wenzhou")
    festival = Festival.objects.create(base=base, name="Boot week", slug="boot-week",
                                       starts_at=now - dt.timedelta(hours=3), ends_at=now + dt.timedelta(days=3))
    _target(world, "festival", "operator", slug=festival.slug, festival_id=festival.pk)
    boots, loafers, sessions, deals = {}, {}, {}, {}
    for side in "ab":
        membership = MembershipFactory(user__username=f"staff_{side}", manufacturer__name=f"Maker {side.upper()}",
                                       manufacturer__slug=f"maker-{side}")
        maker = membership.manufacturer
        world.users[f"staff_{side}"] = membership.user
        world.makers[side] = (maker.pk, maker.name)
        brand = BrandFactory(manufacturer=maker, name=f"Brand {side.upper()}", slug=f"brand-{side}")
        boots[side] = priced_variant(stock=50, product__manufacturer=maker, product__brand=brand,
                                     product__slug=f"{side}-boot", product__name=f"Boot {side.upper()}",
                                     sku=f"{side.upper()}-BOOT-42")
        loafers[side] = priced_variant(stock=50, product__manufacturer=maker, product__brand=brand,
                                       product__slug=f"{side}-loafer", product__name=f"Loafer {side.upper()}",
                                       sku=f"{side.upper()}-LOAFER-42")
        stock = boots[side].stock_levels.get()
        _target(world, "product", f"staff_{side}", slug=f"{side}-boot")
        for obj in (maker, brand, stock.warehouse, boots[side].product, boots[side], boots[side].prices.get(), stock):
            _row(world, obj, side)
        if side == "a":
            _row(world, membership)

        studio = Studio.objects.create(base=base, name=f"Studio {side.upper()}")
        host = Host.objects.create(user=UserFactory(username=f"host_{side}"), handle=f"host-{side}",
                                   display_name=f"Host {side.upper()}", markets=["DE"])
        world.users[f"host_{side}"] = host.user
        HostAvailability.objects.create(host=host, starts_at=now - dt.timedelta(hours=3),
                                        ends_at=now + dt.timedelta(days=2))
        session = live.live_session_schedule(festival=festival, studio=studio, host=host, title=f"Boots {side}",
                                             starts_at=now - dt.timedelta(minutes=30),
                                             ends_at=now + dt.timedelta(hours=2))
        upcoming = live.live_session_schedule(festival=festival, studio=studio, host=host,
                                              title=f"Loafers {side}", starts_at=now + dt.timedelta(hours=4),
                                              ends_at=now + dt.timedelta(hours=5))
        item = live.lineup_request(host=host, session_id=session.pk, product_id=boots[side].product_id,
                                   price=Decimal("90.00"), currency="USD", commission_rate=Decimal("0.15"),
                                   quantity=100)
        item = live.lineup_decide(manufacturer_id=maker.pk, item_id=item.pk, action="approve")
        countered = live.lineup_request(host=host, session_id=upcoming.pk, product_id=loafers[side].product_id,
                                        price=Decimal("80.00"), currency="USD", commission_rate=Decimal("0.12"),
                                        quantity=10)
        live.lineup_decide(manufacturer_id=maker.pk, item_id=countered.pk, action="counter",
                           counter_price=Decimal("85.00"), counter_commission_rate=Decimal("0.10"))
        live.session_go_live(host=host, session_id=session.pk)
        live.product_pin(host=host, session_id=session.pk, lineup_item_id=item.pk)
        deal = live.deal_launch(host=host, session_id=session.pk, lineup_item_id=item.pk, deal_price=Decimal("80.00"),
                                quantity_cap=20, per_buyer_limit=4, duration_minutes=120)
        _tool, token = live.streaming_tool_create(host=host, name="OBS")
        live.views_report(token=token, session_id=session.pk, views=1000)
        world.tool_tokens[f"host_{side}"] = token
        SessionRequest.objects.create(festival=festival, host=host, manufacturer=maker, title=f"Sneakers {side}",
                                      duration_minutes=60)
        sessions[side], deals[side] = session, deal
        owner = f"host_{side}"
        _target(world, "session", owner, session_id=session.pk, item_id=item.pk, side=side)
        _target(world, "upcoming_session", owner, session_id=upcoming.pk)
        _target(world, "countered_item", owner, item_id=countered.pk)
        _target(world, "deal", owner, deal_id=deal.pk, sku=boots[side].sku)
        _row(world, countered, side)  # an open request, which the manufacturer may still counter
        if side == "a":  # operators' pages: one row of each is enough
            _row(world, host)
            _row(world, session)

    # A flash sale in the storefront, the operators' to end.
    sale = live.flash_sale_launch(product_slug="a-loafer", currency="USD", deal_price=Decimal("60.00"), quantity_cap=5,
                                  per_buyer_limit=2, duration_minutes=600)
    _target(world, "flash_sale", "operator", deal_id=sale.pk)

    for side in "ab":
        other = "b" if side == "a" else "a"
        buyer = buyer_create(email=f"buyer-{side}@example.com")
        owner = f"buyer_{side}"
        world.users[owner] = buyer
        address = address_create(buyer)
        profile = fit.foot_profile_create(buyer=buyer, name="Me", gender="men", left_length_mm=257,
                                          right_length_mm=255, method="tape", measured_on=now.date())
        # A delivered order: two units through this side's live deal, one of the other side's boots.
        cart_line_add(buyer=buyer, variant_id=boots[side].pk, quantity=2, deal_id=deals[side].pk)
        cart_line_add(buyer=buyer, variant_id=boots[other].pk, quantity=1)
        order = order_pay(order_place(buyer=buyer, address_id=address.pk, currency="EUR",
                                      idempotency_key=f"world-{side}-1", request_hash="world").order)
        for shipment in order.shipments.order_by("pk"):
            declare_shipment.run(shipment.pk)
            lifecycle.shipment_mark_packed(shipment_id=shipment.pk, actor=operator)
            lifecycle.shipment_mark_shipped(shipment_id=shipment.pk, actor=operator, carrier="SF Express",
                                            tracking_number=f"SF{shipment.pk:010d}")
            lifecycle.shipment_mark_delivered(shipment_id=shipment.pk)
        deal_line = order.lines.get(deal=deals[side])
        other_line = order.lines.exclude(pk=deal_line.pk).get()
        fit.fit_report(buyer=buyer, order_number=order.number, order_line_id=other_line.pk, verdict="right")
        refund_services.refund_request(order_id=order.pk, lines=[(deal_line.pk, 1)], reason="Changed my mind",
                                       actor=operator, idempotency_key=f"world-refund-{side}")
        # An unpaid order, then a cart to check out.
        cart_line_add(buyer=buyer, variant_id=loafers[side].pk, quantity=1)
        pending = order_place(buyer=buyer, address_id=address.pk, currency="EUR",
                              idempotency_key=f"world-{side}-2", request_hash="world").order
        cart_line_add(buyer=buyer, variant_id=loafers[side].pk, quantity=1)
        line = buyer.cart.lines.get()

        _target(world, "address", owner, address_id=address.pk)
        _target(world, "foot_profile", owner, profile_id=profile.pk, slug=f"{side}-boot")
        _target(world, "cart_line", owner, line_id=line.pk)
        _target(world, "order", owner, number=order.number)
        _target(world, "pending_order", owner, number=pending.number)
        _target(world, "delivered_line", owner, number=order.number, line_id=deal_line.pk)
        held = live.deal_claim(buyer_id=buyer.pk, deal_id=deals[other].pk, variant_id=boots[other].pk,
                               product_id=boots[other].product_id, quantity=1,
                               idempotency_key=f"world-claim-{side}").claim
        _target(world, "claim", owner, claim_id=held.pk)
        if side == "a":
            _row(world, order)
            _row(world, CustomsDeclaration.objects.filter(shipment__order=order).order_by("pk").first())
        # Lines and parcels belong to the manufacturer whose goods they hold, whoever bought them.
        for line_or_parcel in (*order.lines.all(), *order.shipments.all()):
            _row(world, line_or_parcel, "a" if line_or_parcel.manufacturer_id == world.makers["a"][0] else "b")

    # Every other user can shop too: each has something in the cart, so a checkout they make is
    # refused only for whose address it names.
    for role in (*HOSTS, *STAFF, "operator"):
        cart_line_add(buyer=world.users[role], variant_id=loafers["a"].pk, quantity=1)
    world.cart_lines = {role: set(CartLine.objects.filter(cart__buyer=user).values_list("pk", flat=True))
                        for role, user in world.users.items() if user is not None}
    payout_services.payouts_create_due(now=now + dt.timedelta(days=4))
    for side in "ab":  # a payout each manufacturer is owed (read only in the admin, as every money row)
        _row(world, Payout.objects.filter(manufacturer_id=world.makers[side][0]).order_by("pk").first(), side)
    for side in "ab":
        session_metrics_rollup(session_id=sessions[side].pk)
    _row(world, sessions["a"].metrics)

    term = CatalogTerm.objects.create(kind=CatalogTerm.Kind.MATERIAL, key="leather", language="de", text="Leder")
    for obj in (category, fx, term, base, festival, Group.objects.create(name="Support"),
                IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES),
                CrontabSchedule.objects.create(minute="5", hour="0"),
                SolarSchedule.objects.create(event="sunrise", latitude=Decimal("28.0"), longitude=Decimal("120.6")),
                ClockedSchedule.objects.create(clocked_time=now + dt.timedelta(days=1))):
        _row(world, obj)
    _row(world, PeriodicTask.objects.create(name="Expire unpaid orders", task="orders.expire_unpaid",
                                            interval=IntervalSchedule.objects.get()))
    _row(world, world.users["buyer_a"])
    if not CustomsFxRate.objects.exists():  # the rules file has none yet; the admin page needs a row
        CustomsFxRate.objects.create(authority="JP", base="USD", quote="JPY", rate=Decimal("150"), valid_from=yesterday,
                                     source="Japan Customs weekly rate", confidence="S")
    for model in ("importregime", "dutyrule", "taxrate", "customsfxrate", "shippingrate"):
        _row(world, apps.get_model("landed_cost", model).objects.order_by("pk").first())
    _row(world, AuditEvent.objects.filter(pgh_obj_model="shop.Price", pgh_obj_id=str(world.rows["shop.price"]["a"]))
         .order_by("pgh_created_at").first())  # the trail of side A's price

    for role, user in world.users.items():
        if user is not None:
            world.tokens[role] = str(RefreshToken.for_user(user).access_token)
            client = Client()
            client.force_login(user)  # a browser session, kept with the world
            world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    world.refresh_tokens = {role: str(RefreshToken.for_user(world.users["buyer_a"])) for role in ROLES}
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, stripe_server, tmp_path_factory):
    """Built once for the module and committed, so a test's own transaction (rolled back after it)
    and the stream test's connections all see it; the database is emptied again afterwards."""
    from devtools import stripe_local

    stripe_local.flush(stripe_server)
    outbox = tmp_path_factory.mktemp("customs")
    with django_db_blocker.unblock():
        # Only ever the test database: the teardown empties it.
        assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]
        with override_settings(STRIPE_API_BASE=stripe_server, STRIPE_SECRET_KEY="sk_test_livedock",
                               STRIPE_WEBHOOK_SECRET="whsec_livedock_tests", STRIPE_MAX_NETWORK_RETRIES=0,
                               STRIPE_SEND_TRANSFER_GROUP=False, CUSTOMS_OUTBOX_DIR=outbox / "outbox",
                               CUSTOMS_INBOX_DIR=outbox / "inbox"), transaction.atomic():
            built = build_world()  # all of it or, if anything fails, nothing
            # The world is data only: the work its services queued for after commit (tasks, live
            # updates) is not wanted.
            connection.run_on_commit.clear()
    yield built
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


# --- the API table ----------------------------------------------------------------------------------
#
# A row: (method, path as in the OpenAPI schema) -> who passes the gate, the success status, and, when
# the request names an object (in its path, query or body), what kind of object and whose it may reach.
#
# gate:  public   anyone, signed in or not
#        user     any signed-in account (401 for anonymous)
#        host     a live host (401 anonymous, 403 anyone else)
#        operator staff without a manufacturer (401 anonymous, 403 anyone else, manufacturers' staff included)
#        tool     a host's streaming tool, by its own token (401 for any other credential)
# reach: own      only the object's owner succeeds; every other caller past the gate gets 404, so
#                 nobody learns that another party's object exists
#        all      every caller past the gate reaches every party's object
# Owners per kind: buyers own addresses, foot profiles, cart lines and orders; hosts own sessions,
# lineup items and deals; manufacturers' staff own their products; the operator owns the festival.


@dataclass(frozen=True)
class Api:
    gate: str
    status: int
    target: str | None = None
    reach: str = "own"
    body: Callable | None = None  # (world, role, target) -> JSON body
    query: Callable | None = None  # (world, role, target) -> query parameters
    headers: Callable | None = None  # (world, role, target, body) -> extra request headers
    check: Callable | None = None  # (world, role, target, response) -> None, on success
    stream: bool = False  # served outside DRF as Server-Sent Events


def _ids(response) -> set:
    return {row["id"] for row in response.json()}


def _own(world: World, kind: str, role: str, key: str) -> set:
    return {world.targets[kind][role][key]} if role in world.targets[kind] else set()


def _check_addresses(world, role, target, response):
    assert _ids(response) == _own(world, "address", role, "address_id")


def _check_profiles(world, role, target, response):
    assert _ids(response) == _own(world, "foot_profile", role, "profile_id")


def _check_cart(world, role, target, response):
    assert {line["id"] for line in response.json()["lines"]} == world.cart_lines[role]


def _check_orders(world, role, target, response):
    numbers = {row["number"] for row in response.json()["results"]}
    own = {world.targets[kind][role]["number"] for kind in ("order", "pending_order") if role in world.targets[kind]}
    assert numbers == own


def _check_order(world, role, target, response):
    assert response.json()["number"] == target["number"]


def _check_payment(world, role, target, response):
    payment = response.json()
    assert payment["amount"]["currency"] == "EUR"
    assert payment["status"] == ("creating" if response.status_code == 202 else "succeeded")


def _check_products(world, role, target, response):
    assert {"a-boot", "b-boot"} <= {row["slug"] for row in response.json()["results"]}


def _check_sessions(world, role, target, response):
    listed = {row["id"] for row in response.json()["results"]}
    assert listed == {world.targets["session"][h]["session_id"] for h in HOSTS} | {
        world.targets["upcoming_session"][h]["session_id"] for h in HOSTS}


def _check_host_orders(world, role, target, response):
    # Only the orders placed through this host's own deals, and no buyer's personal data.
    side = target["side"]
    body = response.json()
    assert {row["number"] for row in body["recent"]} == {world.targets["order"][f"buyer_{side}"]["number"]}
    assert "buyer" not in json.dumps(body) and "@" not in json.dumps(body)


def _webhook(world, role, target):
    return {"id": f"evt_matrix_{role}", "object": "event", "type": "customer.created", "created": int(time.time()),
            "data": {"object": {"id": "cus_matrix", "object": "customer"}}}


def _webhook_headers(world, role, target, body):
    timestamp = int(time.time())
    payload = json.dumps(body)
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{payload}", settings.STRIPE_WEBHOOK_SECRET)
    return {"HTTP_STRIPE_SIGNATURE": f"t={timestamp},v1={signature}"}


def _reset_link(world, role, target):
    # A fresh link for buyer A each time: the last caller's new password spent the one before.
    buyer = get_user_model().objects.get(pk=world.users["buyer_a"].pk)
    return {"uid": urlsafe_base64_encode(force_bytes(buyer.pk)), "token": default_token_generator.make_token(buyer),
            "new_password": f"Reset-by-{role}-2027"}


def _schedule(world, role, target):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    return {"festival": "boot-week", "studio_id": Studio.objects.get(name="Studio A").pk, "host": "host-a",
            "title": "Extra boots", "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=1)).isoformat()}


API: dict[tuple[str, str], Api] = {
    # Catalogue: anonymous and read-only.
    ("GET", "/api/v1/catalog/products/"): Api("public", 200, check=_check_products),
    ("GET", "/api/v1/catalog/products/{slug}/"): Api("public", 200, "product", "all"),
    ("GET", "/api/v1/catalog/categories/"): Api("public", 200),
    ("GET", "/api/v1/catalog/currencies/"): Api("public", 200),
    ("GET", "/api/v1/catalog/search/suggestions/"): Api("public", 200, query=lambda w, r, t: {"q": "bo"}),
    # Accounts: credentials are handed out without a session; every caller gets their own.
    ("POST", "/api/v1/auth/register/"): Api("public", 202, body=lambda w, r, t: {
        "email": f"new-{r}@example.com", "password": PASSWORD, "preferred_currency": "EUR"}),
    ("POST", "/api/v1/auth/login/"): Api("public", 200, body=lambda w, r, t: {
        "email": "buyer-a@example.com", "password": PASSWORD}),
    ("POST", "/api/v1/auth/refresh/"): Api("public", 200, body=lambda w, r, t: {"refresh": w.refresh_tokens[r]}),
    ("POST", "/api/v1/auth/logout/"): Api("public", 204, body=lambda w, r, t: {"refresh": w.refresh_tokens[r]}),
    ("POST", "/api/v1/auth/password-reset/"): Api("public", 202, body=lambda w, r, t: {
        "email": "buyer-a@example.com"}),
    ("POST", "/api/v1/auth/password-reset/confirm/"): Api("public", 204, body=_reset_link),
    # A buyer's own things: any signed-in account has them; nobody reaches another's.
    ("GET", "/api/v1/me/"): Api("user", 200),
    ("PATCH", "/api/v1/me/"): Api("user", 200, body=lambda w, r, t: {"full_name": f"Renamed {r}"}),
    ("POST", "/api/v1/me/password/"): Api("user", 200, body=lambda w, r, t: {
        "old_password": PASSWORD if r in BUYERS else FACTORY_PASSWORD, "new_password": f"Changed-{r}-2027"}),
    ("GET", "/api/v1/me/addresses/"): Api("user", 200, check=_check_addresses),
    ("POST", "/api/v1/me/addresses/"): Api("user", 201, body=lambda w, r, t: {
        "full_name": "Anna Muster", "line1": "Marienplatz 1", "city": "Munich", "postal_code": "80331",
        "country": "DE"}),
    ("PATCH", "/api/v1/me/addresses/{address_id}/"): Api("user", 200, "address", body=lambda w, r, t: {
        "city": "Berlin", "postal_code": "10115"}),
    ("DELETE", "/api/v1/me/addresses/{address_id}/"): Api("user", 204, "address"),
    ("GET", "/api/v1/me/foot-profiles/"): Api("user", 200, check=_check_profiles),
    ("POST", "/api/v1/me/foot-profiles/"): Api("user", 201, body=lambda w, r, t: {
        "left_length_mm": 250, "right_length_mm": 251, "measured_on": "2026-11-20"}),
    ("GET", "/api/v1/me/foot-profiles/export/"): Api("user", 200, check=_check_profiles),
    ("DELETE", "/api/v1/me/foot-profiles/{profile_id}/"): Api("user", 204, "foot_profile"),
    ("GET", "/api/v1/catalog/products/{slug}/size/"): Api("user", 200, "foot_profile", query=lambda w, r, t: {
        "profile": t["profile_id"]}),
    ("GET", "/api/v1/cart/"): Api("user", 200, check=_check_cart),
    ("POST", "/api/v1/cart/lines/"): Api("user", 201, body=lambda w, r, t: {"variant": "B-BOOT-42", "quantity": 1}),
    ("PATCH", "/api/v1/cart/lines/{line_id}/"): Api("user", 200, "cart_line", body=lambda w, r, t: {"quantity": 2}),
    ("DELETE", "/api/v1/cart/lines/{line_id}/"): Api("user", 200, "cart_line"),
    ("POST", "/api/v1/checkout/"): Api("user", 201, "address", body=lambda w, r, t: {"address_id": t["address_id"]},
                                       headers=lambda w, r, t, b: {"HTTP_IDEMPOTENCY_KEY": f"matrix-checkout-{r}"}),
    ("POST", "/api/v1/landed-cost/quote/"): Api("public", 200, body=lambda w, r, t: {
        "destination": "DE", "currency": "EUR", "lines": [{"sku": "A-BOOT-42", "quantity": 1}]}),
    ("GET", "/api/v1/orders/"): Api("user", 200, check=_check_orders),
    ("GET", "/api/v1/orders/{number}/"): Api("user", 200, "order", check=_check_order),
    ("GET", "/api/v1/orders/{number}/payment/"): Api("user", 200, "order", check=_check_payment),
    ("POST", "/api/v1/orders/{number}/payment/"): Api("user", 202, "pending_order", check=_check_payment),
    ("POST", "/api/v1/orders/{number}/lines/{line_id}/fit/"): Api("user", 201, "delivered_line", body=lambda w, r, t: {
        "verdict": "too_small"}),
    # Stripe signs its webhooks; who else sends them changes nothing.
    ("POST", "/api/v1/payments/stripe/webhook/"): Api("public", 200, body=_webhook, headers=_webhook_headers),
    # Operators.
    ("POST", "/api/v1/operator/orders/{number}/refunds/"): Api("operator", 202, "order", "all", body=lambda w, r, t: {
        "reason": "Damaged in transit", "full": True},
        headers=lambda w, r, t, b: {"HTTP_IDEMPOTENCY_KEY": f"matrix-refund-{r}-{t['number']}"}),
    ("POST", "/api/v1/operator/live/sessions/"): Api("operator", 201, body=_schedule),
    ("POST", "/api/v1/operator/live/festivals/{slug}/auto-schedule/"): Api("operator", 200, "festival", "all"),
    ("POST", "/api/v1/operator/live/festivals/{slug}/publish/"): Api("operator", 200, "festival", "all"),
    ("GET", "/api/v1/operator/live/festivals/{slug}/metrics/"): Api("operator", 200, "festival", "all"),
    ("POST", "/api/v1/operator/flash-sales/"): Api("operator", 201, body=lambda w, r, t: {
        "product": "b-loafer", "currency": "USD", "deal_price": "70.00", "quantity_cap": 2, "duration_minutes": 60}),
    ("POST", "/api/v1/operator/flash-sales/{deal_id}/end/"): Api("operator", 200, "flash_sale", "all"),
    ("GET", "/api/v1/flash-sales/"): Api("public", 200),
    # Watching live: public.
    ("GET", "/api/v1/live/sessions/"): Api("public", 200, check=_check_sessions),
    ("GET", "/api/v1/live/sessions/{session_id}/"): Api("public", 200, "session", "all"),
    ("GET", "/api/v1/live/sessions/{session_id}/state/"): Api("public", 200, "session", "all"),
    ("GET", "/api/v1/live/sessions/{session_id}/events/"): Api("public", 200, "session", "all", stream=True),
    # Claiming a live deal: anyone signed in, on any running deal; a claim is its buyer's alone.
    ("POST", "/api/v1/live/deals/{deal_id}/claims/"): Api("user", 201, "deal", "all", body=lambda w, r, t: {
        "sku": t["sku"], "quantity": 1},
        headers=lambda w, r, t, b: {"HTTP_IDEMPOTENCY_KEY": f"matrix-claim-{r}-{t['deal_id']}"}),
    ("GET", "/api/v1/live/claims/{claim_id}/"): Api("user", 200, "claim"),
    # A sold-out deal's waitlist: anyone signed in; the world's deals still have units (join: 409, claim
    # instead) and nobody waits on them (their place: 404), so only who may ask is checked here
    # (tests/livestream/test_waitlist.py has the rest).
    ("POST", "/api/v1/live/deals/{deal_id}/waitlist/"): Api("user", 409, "deal", "all", body=lambda w, r, t: {
        "sku": t["sku"], "quantity": 1}),
    ("GET", "/api/v1/live/deals/{deal_id}/waitlist/"): Api("user", 404, "deal", "all"),
    ("DELETE", "/api/v1/live/deals/{deal_id}/waitlist/"): Api("user", 404, "deal", "all"),
    ("POST", "/api/v1/live/sessions/{session_id}/views/"): Api("tool", 201, "session", body=lambda w, r, t: {
        "views": 2500, "concurrent_viewers": 40}),
    # Running a session: only the session's own host.
    ("POST", "/api/v1/host/sessions/{session_id}/lineup/"): Api("host", 201, "session", body=lambda w, r, t: {
        "product": f"{t['side']}-loafer", "price": "95.00", "currency": "USD", "commission_rate": "0.10",
        "quantity": 10}),
    ("POST", "/api/v1/host/lineup/{item_id}/accept-counter/"): Api("host", 200, "countered_item"),
    ("POST", "/api/v1/host/sessions/{session_id}/go-live/"): Api("host", 200, "upcoming_session"),
    ("POST", "/api/v1/host/sessions/{session_id}/end/"): Api("host", 200, "session"),
    ("POST", "/api/v1/host/sessions/{session_id}/pin/"): Api("host", 201, "session", body=lambda w, r, t: {
        "lineup_item": t["item_id"]}),
    ("POST", "/api/v1/host/sessions/{session_id}/deals/"): Api("host", 201, "session", body=lambda w, r, t: {
        "lineup_item": t["item_id"], "deal_price": "70.00", "quantity_cap": 5, "per_buyer_limit": 1,
        "duration_minutes": 30}),
    ("POST", "/api/v1/host/deals/{deal_id}/end/"): Api("host", 200, "deal"),
    ("GET", "/api/v1/host/sessions/{session_id}/metrics/"): Api("host", 200, "session"),
    ("GET", "/api/v1/host/sessions/{session_id}/orders/"): Api("host", 200, "session", check=_check_host_orders),
}

GATE_REFUSALS = {  # gate -> role -> (status, error code) for callers who do not pass it
    "public": {},
    "user": {"anonymous": (401, "not_authenticated")},
    "host": {"anonymous": (401, "not_authenticated"),
             **{r: (403, "permission_denied") for r in ROLES if r not in HOSTS and r != "anonymous"}},
    "operator": {"anonymous": (401, "not_authenticated"),
                 **{r: (403, "permission_denied") for r in ROLES if r not in ("operator", "anonymous")}},
    "tool": {r: (401, "unknown_tool") for r in ROLES if r not in HOSTS},
}


@dataclass(frozen=True)
class Case:
    role: str
    owner: str | None  # whose object the request names
    status: int
    code: str | None  # error code when refused

    @property
    def allowed(self) -> bool:
        return self.code is None


def api_cases(rule: Api) -> list[Case]:
    """Every caller against every party's object, refusals first (an allowed delete must not run
    before the refusals aimed at the same object)."""
    cases = []
    owners = sorted(ALL_TARGETS[rule.target]) if rule.target else [None]
    for role in ROLES:
        for owner in owners:
            refused = GATE_REFUSALS[rule.gate].get(role)
            if refused is None and rule.target and rule.reach == "own" and role != owner:
                refused = (404, "not_found")
            status, code = refused or (rule.status, None)
            cases.append(Case(role, owner, status, code))
    return sorted(cases, key=lambda c: c.allowed)


# Who owns objects of each kind in the world (checked against the world by a test below).
ALL_TARGETS = {
    "product": STAFF, "address": BUYERS, "foot_profile": BUYERS, "cart_line": BUYERS, "order": BUYERS,
    "pending_order": BUYERS, "delivered_line": BUYERS, "session": HOSTS, "upcoming_session": HOSTS,
    "countered_item": HOSTS, "deal": HOSTS, "festival": ("operator",), "claim": BUYERS,
    "flash_sale": ("operator",),
}

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PASSING_ROLE = {"public": "anonymous", "user": "buyer_a", "host": "host_a", "operator": "operator", "tool": "host_a"}


# --- helpers ----------------------------------------------------------------------------------------


def db_state() -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of all its rows (sessions aside: signing in writes one)."""
    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)
                     if m._meta.managed and not m._meta.proxy} - {"django_session"})
    sql = " UNION ALL ".join(
        f"SELECT %s, count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
        f"FROM {connection.ops.quote_name(table)} t" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return {name: (count, digest) for name, count, digest in cursor.fetchall()}


def assert_unchanged(before: dict, where: str) -> None:
    after = db_state()
    changed = sorted(table for table in before if before[table] != after[table])
    assert not changed, f"{where}: refused, yet the database changed: {changed}"


def assert_error(response, status: int, code: str, where: str) -> None:
    assert response.status_code == status, f"{where}: {response.status_code} {response.content[:400]!r}"
    body = response.json()
    assert list(body) == ["error"] and {"code", "message", "fields"} <= set(body["error"]), f"{where}: {body}"
    assert body["error"]["code"] == code, f"{where}: {body}"


def api_client(world: World, role: str, *, tool: bool = False, address: int = 0) -> APIClient:
    """Each caller from its own address (login and registration are rate limited per address)."""
    client = APIClient(REMOTE_ADDR=f"127.0.{address}.{10 + ROLES.index(role)}")
    if tool and role in world.tool_tokens:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {world.tool_tokens[role]}")
    elif role != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]}")
    return client


def api_request(world: World, method: str, route: str, rule: Api, role: str, owner: str | None, address: int = 0):
    target = world.target(rule.target, owner) if rule.target else {}
    body = rule.body(world, role, target) if rule.body else None
    headers = rule.headers(world, role, target, body) if rule.headers else {}
    client = api_client(world, role, tool=rule.gate == "tool", address=address)
    path = route.format(**target)
    if method == "GET":
        return client.get(path, rule.query(world, role, target) if rule.query else None, **headers)
    if method == "HEAD":
        return client.head(path, rule.query(world, role, target) if rule.query else None, **headers)
    return client.generic(method, path, json.dumps(body) if body is not None else "", "application/json", **headers)


def api_routes() -> dict[str, object]:
    """Every URL pattern under /api/v1/ -> its view, the path written as the OpenAPI schema writes it."""
    found: dict[str, object] = {}

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found[re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", prefix + str(pattern.pattern))] = pattern.callback

    walk(get_resolver().url_patterns, "/")
    return {path: view for path, view in found.items() if path.startswith("/api/v1/")}


# --- the API tests ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_table_lists_exactly_the_routes_and_schema_operations(world, client):
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    documented = {(method.upper(), path) for path, operations in schema.json()["paths"].items()
                  for method in operations if method.upper() in METHODS}
    served = set()
    for path, view in api_routes().items():
        view_class = getattr(view, "cls", None)
        if view_class is not None and issubclass(view_class, APIView):
            served |= {(method, path) for method in METHODS if hasattr(view_class, method.lower())}
        else:  # served outside DRF (Server-Sent Events): its methods are the ones its schema entry names
            ops = {op for op in documented if op[1] == path}
            assert ops, f"{path} is served outside DRF and missing from the schema"
            served |= ops
    assert served == documented, f"routes and schema disagree: {sorted(served ^ documented)}"
    assert not served - set(API), f"routes with no row in the matrix: {sorted(served - set(API))}"
    assert not set(API) - served, f"rows for routes that no longer exist: {sorted(set(API) - served)}"


@pytest.mark.django_db
def test_world_has_every_target_and_every_kind_of_object_on_both_sides(world):
    assert set(world.users) == set(ROLES)
    for kind, owners in ALL_TARGETS.items():
        assert set(world.targets[kind]) == set(owners), kind
    assert {rule.target for rule in API.values()} - {None} <= set(ALL_TARGETS)
    for side in "ab":
        maker, buyer, host = world.makers[side][0], world.users[f"buyer_{side}"], world.users[f"host_{side}"]
        owned = {
            "variants, prices, stock": StockLevel.objects.filter(variant__product__manufacturer=maker,
                                                                 variant__prices__isnull=False),
            "payouts": Payout.objects.filter(manufacturer=maker),
            "declarations": CustomsDeclaration.objects.filter(shipment__manufacturer=maker, status="sent"),
            "paid orders": Payment.objects.filter(order__buyer=buyer, status="succeeded"),
            "refunds": Refund.objects.filter(order__buyer=buyer),
            "fit reports": FitReport.objects.filter(order_line__order__buyer=buyer),
            "foot profiles": FootProfile.objects.filter(buyer=buyer),
            "session requests": SessionRequest.objects.filter(host__user=host),
            "deal purchases": DealPurchase.objects.filter(deal__session__host__user=host, buyer=buyer),
            "views": ViewReport.objects.filter(session__host__user=host),
            "metrics": SessionMetrics.objects.filter(session__host__user=host, orders=1),
        }
        for what, rows in owned.items():
            assert rows.exists(), f"side {side} has no {what}"


@pytest.mark.django_db
@pytest.mark.parametrize("key", [key for key, rule in API.items() if not rule.stream], ids=" ".join)
def test_api_route(world, key):
    method, route = key
    rule = API[key]
    before = db_state()
    for case in api_cases(rule):  # refusals first: until the first allowed call nothing may change
        where = f"{method} {route} as {case.role} on {case.owner}'s"
        if case.allowed and before is not None:
            assert_unchanged(before, f"{method} {route}")
            before = None
        response = api_request(world, method, route, rule, case.role, case.owner)
        if case.allowed:
            assert response.status_code == case.status, f"{where}: {response.status_code} {response.content[:400]!r}"
            if rule.check:
                rule.check(world, case.role, world.target(rule.target, case.owner) if rule.target else {}, response)
        else:
            assert_error(response, case.status, case.code, where)
    if before is not None:
        assert_unchanged(before, f"{method} {route}")


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted({route for _, route in API}))
def test_api_methods_not_in_the_table_are_refused(world, route):
    """What the table does not list answers 405 (for a caller past the gate), HEAD follows GET and
    OPTIONS describes the route; nothing changes."""
    listed = {method for method, path in API if path == route}
    rule = API[(sorted(listed)[0], route)]
    role = PASSING_ROLE[rule.gate]
    owner = (role if role in ALL_TARGETS[rule.target] else ALL_TARGETS[rule.target][0]) if rule.target else None
    before = db_state()
    for address, method in enumerate((*METHODS, "HEAD", "OPTIONS"), start=1):
        if method in listed:
            continue
        response = api_request(world, method, route, rule, role, owner, address=address)
        where = f"{method} {route} as {role}"
        if method == "OPTIONS" and not rule.stream:
            assert response.status_code == 200, f"{where}: {response.status_code}"
        elif method == "HEAD" and "GET" in listed and not rule.stream:  # as GET answers
            assert response.status_code == API[("GET", route)].status, f"{where}: {response.status_code}"
        elif method == "HEAD":
            assert response.status_code == 405, f"{where}: {response.status_code}"
        else:
            assert_error(response, 405, "method_not_allowed", where)
    assert_unchanged(before, f"unlisted methods on {route}")


@pytest.mark.django_db
@pytest.mark.parametrize("key", [key for key, rule in API.items() if rule.stream], ids=" ".join)
def test_api_stream_route(world, key, settings):
    """A stream runs in the ASGI server: here each request runs in a thread of its own, with its own
    database connection (the view closes it after its first read), and sees the committed world."""
    settings.LIVEDOCK_SSE_MAX_SECONDS = 0  # the first event, then the stream ends
    method, route = key
    rule = API[key]

    def fetch(role: str, path: str):
        async def get():
            headers = {"Authorization": f"Bearer {world.tokens[role]}"} if role != "anonymous" else {}
            response = await AsyncClient(headers=headers).get(path)
            if not response.streaming:
                return response.status_code, response["Content-Type"], response.content
            return response.status_code, response["Content-Type"], b"".join(
                [chunk async for chunk in response.streaming_content])

        try:
            return async_to_sync(get)()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        for case in api_cases(rule):
            target = world.target(rule.target, case.owner) if rule.target else {}
            status, content_type, content = pool.submit(fetch, case.role, route.format(**target)).result(timeout=60)
            where = f"{method} {route} as {case.role} on {case.owner}'s"
            assert (status, content_type) == (case.status, "text/event-stream"), f"{where}: {status} {content!r}"
            state = json.loads(content.decode().split("data: ", 1)[1].split("\n", 1)[0])
            assert state["session"] == target["session_id"], where
        status, content_type, content = pool.submit(fetch, "anonymous", route.format(session_id=0)).result(timeout=60)
    assert (status, json.loads(content)["error"]["code"]) == (404, "not_found")


# --- the admin table --------------------------------------------------------------------------------
#
# Every ModelAdmin on the admin site, by model. Anonymous callers, buyers and hosts (not staff) are sent
# to the admin login from every page. The operator (a superuser) sees every page; `add`, `change` and
# `delete` say what the admin class offers even to them. A manufacturer's staff:
#   none  may not see the model at all: 403 on every page
#   read  may read every row (the shared category tree), change nothing
#   own   see and change only their own manufacturer's rows: the changelist lists only those, and another
#         manufacturer's row answers as if it did not exist (redirect to the admin index)


@dataclass(frozen=True)
class AdminModel:
    staff: str
    owner: Callable | None = None  # row -> its manufacturer's id, written independently of the admin's scoping
    staff_add: bool = False
    staff_delete: bool = False
    add: bool = True
    change: bool = True
    delete: bool = True


OPERATORS_ONLY = AdminModel("none")
RULES_READ_ONLY = AdminModel("none", add=False, change=False, delete=False)  # changed through the data file
CATALOGUE = {"staff_add": True, "staff_delete": True}

ADMIN: dict[str, AdminModel] = {
    "auth.group": OPERATORS_ONLY,
    "auth.user": OPERATORS_ONLY,
    "django_celery_beat.clockedschedule": OPERATORS_ONLY,
    "django_celery_beat.crontabschedule": OPERATORS_ONLY,
    "django_celery_beat.intervalschedule": OPERATORS_ONLY,
    "django_celery_beat.periodictask": OPERATORS_ONLY,
    "django_celery_beat.solarschedule": OPERATORS_ONLY,
    "shop.manufacturer": AdminModel("own", lambda row: row.pk),
    "shop.manufacturermembership": OPERATORS_ONLY,
    "shop.category": AdminModel("read"),
    "shop.brand": AdminModel("own", lambda row: row.manufacturer_id, **CATALOGUE),
    "shop.warehouse": AdminModel("own", lambda row: row.manufacturer_id, **CATALOGUE),
    "shop.product": AdminModel("own", lambda row: row.manufacturer_id, **CATALOGUE),
    "shop.variant": AdminModel("own", lambda row: row.product.manufacturer_id, **CATALOGUE),
    "shop.price": AdminModel("own", lambda row: row.variant.product.manufacturer_id, **CATALOGUE),
    "shop.stocklevel": AdminModel("own", lambda row: row.variant.product.manufacturer_id, **CATALOGUE),
    "shop.fxrate": OPERATORS_ONLY,
    # The catalog-wide words for materials, colours and widths: shared by every manufacturer, kept by operators.
    "shop.catalogterm": OPERATORS_ONLY,
    "livestream.livebase": OPERATORS_ONLY,
    "livestream.festival": OPERATORS_ONLY,
    "livestream.host": OPERATORS_ONLY,
    "livestream.livesession": OPERATORS_ONLY,
    "livestream.lineupitem": AdminModel("own", lambda row: row.product.manufacturer_id),
    "livestream.sessionmetrics": AdminModel("none", add=False, delete=False),
    "orders.order": AdminModel("none", add=False, delete=False),
    "orders.shipment": AdminModel("own", lambda row: row.manufacturer_id),
    "orders.orderline": AdminModel("own", lambda row: row.manufacturer_id),
    "customs.customsdeclaration": AdminModel("none", add=False, delete=False),
    "payments.payout": AdminModel("own", lambda row: row.manufacturer_id, add=False, change=False, delete=False),
    "landed_cost.importregime": RULES_READ_ONLY,
    "landed_cost.dutyrule": RULES_READ_ONLY,
    "landed_cost.taxrate": RULES_READ_ONLY,
    "landed_cost.customsfxrate": RULES_READ_ONLY,
    "landed_cost.shippingrate": RULES_READ_ONLY,
    # The audit trail: operators only (events of every manufacturer share it), and nobody rewrites history.
    "audit.auditevent": AdminModel("none", add=False, change=False, delete=False),
}


@dataclass(frozen=True)
class AdminUrl:
    """A page an admin class adds through get_urls. `staff` is what a manufacturer's staff get."""

    staff: int
    operator: int = 200
    args: Callable = lambda world: []
    check: Callable | None = None  # (world, role, response) on a 200


def _no_other_maker(world, role, response):
    # A manufacturer's staff never see another manufacturer's name (not even in a form's choices).
    if role in STAFF:
        other = world.makers["b" if role == "staff_a" else "a"][1]
        assert other not in response.content.decode(), f"{role} sees {other!r}"


def _imports(model: str) -> dict[str, AdminUrl]:
    return {f"shop_{model}_import": AdminUrl(200), f"shop_{model}_export": AdminUrl(200),
            f"shop_{model}_process_import": AdminUrl(405, operator=405)}  # only ever POSTed from the import page


ADMIN_URLS: dict[str, AdminUrl] = {
    "auth_user_password_change": AdminUrl(403, args=lambda w: [w.rows["auth.user"]["x"]]),
    **_imports("brand"), **_imports("product"), **_imports("variant"), **_imports("price"), **_imports("stocklevel"),
    "livestream_festival_timeline": AdminUrl(404, args=lambda w: [w.rows["livestream.festival"]["x"]]),
    "livestream_sessionmetrics_chart": AdminUrl(404, args=lambda w: [w.target("session", "host_a")["session_id"]]),
    "customs_customsdeclaration_xml": AdminUrl(404, args=lambda w: [w.rows["customs.customsdeclaration"]["x"]]),
    "orders_size_curve": AdminUrl(200, check=_no_other_maker),
}
STANDARD_ADMIN_URLS = {"changelist", "add", "history", "delete", "change"}


def browser(world: World, role: str) -> Client:
    """A browser signed in as the role (the session was made with the world)."""
    client = Client()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def form_data(response) -> dict[str, list[str]]:
    """What a browser submits from the admin form on the page, unchanged."""
    page = lxml.html.fromstring(response.content)
    forms = [form for form in page.forms if (form.get("id") or "").endswith("_form")]
    data: dict[str, list[str]] = {}
    if forms:
        for name, value in forms[0].form_values():
            data.setdefault(name, []).append(value)
    data["_save"] = ["Save"]
    return data


def outcome(response) -> int | str:
    """A status, or where a redirect goes: the login page, the admin index ("does not exist") or the
    changelist it came from ("saved")."""
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    if location.startswith(reverse("admin:login")):
        return "login"
    return "index" if location == reverse("admin:index") else f"302 {location}"


def expected_page(rule: AdminModel, role: str, page: str, side: str | None) -> int | str:
    if role in NON_STAFF:
        return "login"
    if role == "operator":
        return 200 if {"add": rule.add, "delete": rule.delete}.get(page, True) else 403
    if rule.staff == "none":
        return 403
    if rule.staff == "read":
        return 403 if page in ("add", "delete") else 200
    if page == "changelist":
        return 200
    if page == "add":
        return 200 if rule.staff_add else 403
    if page == "delete" and not rule.staff_delete:
        return 403  # whoever's row it is
    return 200 if side == role[-1] else "index"  # another manufacturer's row: as if it did not exist


def may_change(rule: AdminModel, role: str, side: str | None) -> bool:
    if role == "operator":
        return rule.change
    return role in STAFF and rule.staff == "own" and side == role[-1] and rule.change  # payouts: read only


# --- the admin tests --------------------------------------------------------------------------------


def registered_admin_urls() -> set[str]:
    names = set()
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for pattern in model_admin.get_urls():
            if pattern.name and pattern.name.removeprefix(prefix) not in STANDARD_ADMIN_URLS:
                names.add(pattern.name)
    return names


@pytest.mark.django_db
def test_admin_table_lists_exactly_the_registered_admins_and_their_pages(world):
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert not registered - set(ADMIN), f"admins with no row in the matrix: {sorted(registered - set(ADMIN))}"
    assert not set(ADMIN) - registered, f"rows for admins no longer registered: {sorted(set(ADMIN) - registered)}"
    urls = registered_admin_urls()
    assert not urls - set(ADMIN_URLS), f"admin pages with no row in the matrix: {sorted(urls - set(ADMIN_URLS))}"
    assert not set(ADMIN_URLS) - urls, f"rows for admin pages that no longer exist: {sorted(set(ADMIN_URLS) - urls)}"
    for label, rule in ADMIN.items():
        sides = set(world.rows.get(label, {}))
        assert sides == ({"a", "b"} if rule.staff == "own" else sides) and sides, f"the world has no {label} rows"


@pytest.mark.django_db
def test_admin_index_lists_what_each_caller_may_open(world):
    for role in ROLES:
        response = browser(world, role).get(reverse("admin:index"))
        if role in NON_STAFF:
            assert outcome(response) == "login", role
            continue
        assert response.status_code == 200, role
        listed = {f"{app['app_label']}.{m['object_name'].lower()}" for app in response.context["app_list"]
                  for m in app["models"]}
        wanted = set(ADMIN) if role == "operator" else {label for label, rule in ADMIN.items() if rule.staff != "none"}
        assert listed == wanted, f"{role}: {sorted(listed ^ wanted)}"


def _actions(response) -> list[str]:
    """The bulk actions a changelist offers its viewer."""
    form = response.context["action_form"] if response.status_code == 200 else None
    return [name for name, _ in form.fields["action"].choices if name] if form else []


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(ADMIN))
def test_admin_model(world, label):
    rule = ADMIN[label]
    model = apps.get_model(label)
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    rows = world.rows[label]
    clients = {role: browser(world, role) for role in ROLES}
    changelist = reverse(f"{info}_changelist")

    def url(page, side=None):
        return changelist if page == "changelist" else reverse(f"{info}_{page}", args=[rows[side]] if side else [])

    def sides(role):
        # Staff try every side's row; for everyone else a row is a row (the admin turns away those who are
        # not staff before it looks at one, and the operator's access does not depend on whose it is).
        return list(rows) if role in STAFF else list(rows)[:1]

    # Every page as every caller.
    seen = {}
    for role in ROLES:
        for page, side in [("changelist", None), ("add", None),
                           *[(page, side) for side in sides(role) for page in ("change", "delete", "history")]]:
            seen[role, page, side] = response = clients[role].get(url(page, side))
            got = outcome(response)
            assert got == expected_page(rule, role, page, side), f"{label} {page} of {side} row as {role}: {got}"
        listing = seen[role, "changelist", None]
        if listing.status_code == 200:
            listed = {row.pk: row for row in listing.context["cl"].result_list}
            if role in STAFF and rule.staff == "own":
                own = world.makers[role[-1]][0]
                assert rows[role[-1]] in listed and all(rule.owner(row) == own for row in listed.values()), \
                    f"{label} changelist as {role} lists another manufacturer's rows"
            else:
                assert set(rows.values()) <= set(listed), f"{label} changelist as {role} misses rows"

    # Writes a caller may not make, with what the operator's pages submit: each refused, nothing changes.
    operator_list = seen["operator", "changelist", None]
    action_form = operator_list.context["action_form"]
    action_fields = {name: "x" for name in (action_form.fields if action_form else ())
                     if name not in ("action", "select_across")}  # a reason, a tracking number; never "all"
    add_form = form_data(seen["operator", "add", None])
    # A form for each row as someone who may open it shows it (the operator, or that side's own staff).
    change_forms = {side: form_data(next(seen[role, "change", side] for role in ("operator", f"staff_{side}")
                                         if seen.get((role, "change", side)) and
                                         seen[role, "change", side].status_code == 200)) for side in rows}
    before = db_state()
    for role in [role for role in ROLES if role not in NON_STAFF or role in NON_STAFF_WRITERS]:
        client = clients[role]
        for side in sides(role):
            where = f"{label} {side} row as {role}"
            if not may_change(rule, role, side):
                want = expected_page(rule, role, "change", side)
                got = outcome(client.post(url("change", side), change_forms[side]))
                assert got == (403 if want == 200 else want), f"POST change of {where}: {got}"
            if expected_page(rule, role, "delete", side) != 200:
                got = outcome(client.post(url("delete", side), {"post": "yes"}))
                assert got == expected_page(rule, role, "delete", side), f"POST delete of {where}: {got}"
            if role == "operator" or (role in STAFF and side == role[-1]):
                continue  # their own rows: the actions are theirs to use
            offered = _actions(seen[role, "changelist", None])
            # Callers the changelist turns away whatever the action try one; staff limited to their own
            # rows try every action on a row that is not theirs.
            turned_away = role in NON_STAFF or rule.staff == "none"
            for action in _actions(operator_list)[:1] if turned_away else _actions(operator_list):
                got = outcome(client.post(changelist, {"action": action, "_selected_action": [rows[side]],
                                                       "index": "0", "post": "yes", **action_fields}))
                # Staff with no actions at all just get the changelist again; otherwise back to it.
                want = expected_page(rule, role, "changelist", None)
                want = f"302 {changelist}" if want == 200 and offered else want
                assert got == want, f"action {action} on {where}: {got}"
        if expected_page(rule, role, "add", None) != 200:
            got = outcome(client.post(url("add"), add_form))
            assert got == expected_page(rule, role, "add", None), f"POST add of {label} as {role}: {got}"
    assert_unchanged(before, f"refused writes on {label}")

    # Last, the changes a caller may make: the form they were shown, saved back unchanged.
    for role in ROLES:
        for side in sides(role):
            if may_change(rule, role, side):
                response = clients[role].post(url("change", side), form_data(seen[role, "change", side]))
                errors = response.context["adminform"].form.errors if response.status_code == 200 else ""
                assert outcome(response) == f"302 {changelist}", f"save {label} {side} row as {role}: {errors}"


@pytest.mark.django_db
def test_admin_autocomplete_offers_only_rows_the_caller_may_see(world):
    """Every autocomplete field of every admin: the choices come from the related model's own admin, so
    they follow that model's row of the table."""
    fields = [(model, name) for model, model_admin in admin.site._registry.items()
              for name in model_admin.autocomplete_fields]
    assert fields
    for model, name in fields:
        related = model._meta.get_field(name).related_model
        rule = ADMIN[related._meta.label_lower]
        query = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": name,
                 "term": ""}
        for role in ROLES:
            response = browser(world, role).get(reverse("admin:autocomplete"), query)
            where = f"autocomplete of {model._meta.label_lower}.{name} as {role}"
            if role in NON_STAFF or (role in STAFF and rule.staff == "none"):
                assert outcome(response) == ("login" if role in NON_STAFF else 403), where
                continue
            assert response.status_code == 200, where
            offered = [related.objects.get(pk=row["id"]) for row in response.json()["results"]]
            if role in STAFF and rule.staff == "own":
                assert offered and all(rule.owner(row) == world.makers[role[-1]][0] for row in offered), where
            else:
                assert set(world.rows[related._meta.label_lower].values()) <= {row.pk for row in offered}, where


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ADMIN_URLS))
def test_admin_url(world, name):
    rule = ADMIN_URLS[name]
    path = reverse(f"admin:{name}", args=rule.args(world))
    for role in ROLES:
        response = browser(world, role).get(path)
        want = "login" if role in NON_STAFF else rule.operator if role == "operator" else rule.staff
        assert outcome(response) == want, f"{name} as {role}: {outcome(response)}"
        if response.status_code == 200 and rule.check:
            rule.check(world, role, response)


# Imports write through their own resources, not the admin's querysets: a file from manufacturer A's
# staff naming B's rows must be refused whole, with nothing written.
HOSTILE_IMPORTS: dict[str, Callable] = {
    "shop.brand": lambda w: f"id,slug,name,manufacturer\n{w.rows['shop.brand']['b']},brand-b,Hijacked,"
                            f"{w.makers['b'][0]}\n",
    "shop.product": lambda w: "slug,name,manufacturer,brand,category,upper_material,gender,country_of_origin,hs_code,"
                              "cn_commodity_code,legal_unit1,legal_unit2,is_active,covers_ankle\n"
                              "b-boot,Hijacked,maker-b,brand-b,shoes,leather,men,CN,640391,6403911900,025,035,1,1\n",
    "shop.variant": lambda w: "sku,product,size_system,size_label,net_weight_kg,gross_weight_kg,is_active\n"
                              "B-BOOT-42,b-boot,EU,43,0.900,1.200,1\n",
    "shop.price": lambda w: "sku,currency,amount\nB-BOOT-42,USD,1.00\n",
    "shop.stocklevel": lambda w: "sku,warehouse,on_hand\nB-BOOT-42,"
                                 f"{Warehouse.objects.get(pk=w.rows['shop.warehouse']['b']).code},0\n",
}


@pytest.mark.django_db
def test_every_import_page_has_a_hostile_file():
    pages = {name for name in ADMIN_URLS if name.endswith("_import") and not name.endswith("_process_import")}
    assert pages == {label.replace(".", "_") + "_import" for label in HOSTILE_IMPORTS}


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(HOSTILE_IMPORTS))
def test_staff_import_cannot_reach_another_manufacturers_rows(world, label):
    client = browser(world, "staff_a")
    name = label.replace(".", "_")
    before = db_state()
    upload = SimpleUploadedFile("rows.csv", HOSTILE_IMPORTS[label](world).encode(), content_type="text/csv")
    response = client.post(reverse(f"admin:{name}_import"), {"format": "0", "resource": "0", "import_file": upload})
    assert response.status_code == 200
    confirm = response.context.get("confirm_form")
    if confirm is not None:  # the dry run found nothing wrong: confirm it, as the page invites
        client.post(reverse(f"admin:{name}_process_import"), confirm.initial)
    assert_unchanged(before, f"staff A importing B's {label} rows")


# --- the host console -------------------------------------------------------------------------------
#
# Server-rendered pages for hosts: anonymous callers go to the login page, anyone who is not a host and
# any host asking for another host's session get 404.

CONSOLE: dict[str, str | None] = {
    "/live/console/": None,
    "/live/console/sessions/{session_id}/": "session",
}


def console_routes() -> set[str]:
    resolver = get_resolver()
    found = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                found.add(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", prefix + str(pattern.pattern)))

    walk(resolver.url_patterns, "/")
    return {route for route in found if route.startswith("/live/console/")}


@pytest.mark.django_db
def test_console_table_lists_exactly_the_console_pages():
    assert console_routes() == set(CONSOLE)


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(CONSOLE))
def test_console_page(world, route):
    kind = CONSOLE[route]
    for role in ROLES:
        for owner in ALL_TARGETS[kind] if kind else [None]:
            target = world.target(kind, owner) if kind else {}
            path = route.format(**target)
            response = browser(world, role).get(path)
            where = f"{path} as {role}"
            if role == "anonymous":
                assert (response.status_code, response["Location"]) == (302, f"{settings.LOGIN_URL}?next={path}"), where
            elif role not in HOSTS or (kind and owner != role):
                assert response.status_code == 404, f"{where}: {response.status_code}"
            else:
                assert response.status_code == 200, f"{where}: {response.status_code}"
                own = {world.target(k, role)["session_id"] for k in ("session", "upcoming_session")}
                shown = {s.pk for s in response.context["sessions"]} if not kind else {response.context["session"].pk}
                assert shown == (own if not kind else {target["session_id"]}), where
