"""A database migrated before orders/ was split into apps (accounts, landed_cost, customs, fit, payments,
audit) migrates forward with every row kept: the tables keep their names, the audit triggers are
reinstalled under their new names, and permissions follow the models to their new apps."""

import json
import os
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

BEFORE_SPLIT = [("shop", "0005_priceevent_stocklevelevent_price_insert_insert_and_more"),
                ("livestream", "0005_flashdealevent_flashdeal_insert_insert_and_more"),
                ("orders", "0011_payoutevent_refundevent_auditevent_and_more")]
ROWS = Path(__file__).parent / "data" / "before_app_split.sql"
MOVED_TABLES = ["orders_buyerprofile", "orders_address", "orders_importregime", "orders_dutyrule", "orders_taxrate",
                "orders_customsfxrate", "orders_shippingrate", "orders_customsdeclaration",
                "orders_declarationreceipt", "orders_footprofile", "orders_fitreport", "orders_payment",
                "orders_webhookevent", "orders_refund", "orders_refundline", "orders_refundevent", "orders_payout",
                "orders_payoutevent", "orders_ledgerentry"]
ALLOCATIONS = ("manufacturer_payable", "platform_fee", "host_commission", "duties_taxes", "shipping")
KEPT_TABLES = ["orders_order", "orders_orderline", "orders_shipment", "orders_orderevent", "orders_cart",
               "orders_idempotencyrecord", "auth_user", "shop_variant", "shop_stocklevel"]

LEDGER = "SELECT order_id, kind, amount, currency, manufacturer_id FROM orders_ledgerentry ORDER BY id"

# Run by `manage.py shell` against the migrated database: the moved rows read through the new apps' models.
READ_BACK = """
import json
from accounts.models import Address, BuyerProfile
from customs.models import CustomsDeclaration
from fit.models import FitReport, FootProfile
from landed_cost.models import DutyRule
from orders.models import Order
from payments.models import LedgerEntry, Payment, Payout, Refund
from payments.services.ledger import ledger_balance
paid = Order.objects.filter(payment__status="succeeded").order_by("pk")
print(json.dumps({
    "counts": [m.objects.count() for m in (Address, BuyerProfile, CustomsDeclaration, FitReport, FootProfile,
                                             DutyRule, LedgerEntry, Payment, Payout, Refund)],
    "balances": [{k: str(v) for k, v in ledger_balance(order=o).items()} for o in paid],
    "refund_events": [e.pgh_label for e in Refund.objects.get().events.order_by("pgh_id")],
}))
"""


def _manage(database_url: str, *args: str, script: str | None = None) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, input=script,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture
def database_before_split():
    """A database of its own, migrated to the last state before the split and filled with its rows."""
    server = settings.DATABASES["default"]
    conninfo = {"host": server["HOST"] or "127.0.0.1", "port": server["PORT"] or 5432, "user": server["USER"],
                "password": server["PASSWORD"] or None}
    name = f"livedock_split_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = (f"postgres://{conninfo['user']}:{conninfo['password'] or ''}@{conninfo['host']}:{conninfo['port']}/{name}")
    try:
        for app in ("contenttypes", "auth"):  # Django's own, at their latest
            _manage(url, "migrate", app, "--no-input", "-v", "0")
        for app, migration in BEFORE_SPLIT:
            _manage(url, "migrate", app, migration, "--no-input", "-v", "0")
        with psycopg.connect(dbname=name, autocommit=True, **conninfo) as db:
            db.execute(ROWS.read_text())
            yield url, (lambda: psycopg.connect(dbname=name, autocommit=True, **conninfo))
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _columns(db, table: str) -> list[str]:
    return [row[0] for row in db.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                                         "ORDER BY ordinal_position", [table])]


def _snapshot(db, columns: dict[str, list[str]] | None = None) -> dict:
    """Counts and digests of the tables' rows, over `columns` (by default every column they have now): a column
    a later migration adds to a moved table is not a change to the rows the split kept."""
    columns = columns or {table: _columns(db, table) for table in MOVED_TABLES + KEPT_TABLES}
    digest = "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM (SELECT {} FROM {}) t"
    tables = {table: db.execute(digest.format(", ".join(f'"{c}"' for c in columns[table]), table)).fetchone()
              for table in MOVED_TABLES + KEPT_TABLES}
    triggers = sorted(row[0] for row in db.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid IN ('orders_refund'::regclass, 'orders_payout'::regclass) "
        "AND NOT tgisinternal"))
    content_types = dict(db.execute("SELECT model, app_label FROM django_content_type WHERE model IN "
                                    "('payment', 'refund', 'dutyrule', 'address', 'footprofile', 'auditevent', "
                                    "'customsdeclaration', 'order')").fetchall())
    return {"tables": tables, "columns": columns, "triggers": triggers, "content_types": content_types}


@pytest.mark.django_db
def test_a_database_from_before_the_split_migrates_forward_and_keeps_every_row(database_before_split):
    url, connect = database_before_split
    with connect() as db:
        before = _snapshot(db)
        ledger_before = db.execute(LEDGER).fetchall()
    assert before["tables"]["orders_ledgerentry"][0] == 15 and before["tables"]["orders_payment"][0] == 2
    assert before["triggers"] == ["pgtrigger_insert_insert_16f04", "pgtrigger_insert_insert_d614b",
                                  "pgtrigger_update_update_78ddd", "pgtrigger_update_update_7d7b9"]
    assert set(before["content_types"].values()) == {"orders"}

    # An order's money moved to a column of its own later: its status keeps only where the goods are.
    kept = {**before["columns"], "orders_order": [c for c in before["columns"]["orders_order"] if c != "status"]}
    with connect() as db:
        before_kept = _snapshot(db, kept)["tables"]

    _manage(url, "migrate", "--no-input", "-v", "0")

    with connect() as db:
        after = _snapshot(db, kept)
        statuses = db.execute("SELECT id, status, payment_status FROM orders_order ORDER BY id").fetchall()
        ledger_after = db.execute(LEDGER).fetchall()
        # The audit trigger works under its new name: a change to a refund is recorded once.
        db.execute("UPDATE orders_refund SET error = 'checked after the split'")
    assert after["tables"] == before_kept
    assert statuses == [(1, "paid", "paid"), (2, "paid", "partially_refunded"), (3, "pending_payment", "unpaid")]
    assert ledger_after == ledger_before
    assert after["triggers"] == ["pgtrigger_insert_insert_991c8", "pgtrigger_insert_insert_eff19",
                                 "pgtrigger_update_update_1c17b", "pgtrigger_update_update_9c9c9"]
    assert after["content_types"] == {"payment": "payments", "refund": "payments", "dutyrule": "landed_cost",
                                      "address": "accounts", "footprofile": "fit", "auditevent": "audit",
                                      "customsdeclaration": "customs", "order": "orders"}

    read_back = json.loads(_manage(url, "shell", "--no-imports", script=READ_BACK).strip().splitlines()[-1])
    # Address, BuyerProfile, CustomsDeclaration, FitReport, FootProfile, DutyRule, LedgerEntry, Payment, Payout, Refund
    assert read_back["counts"] == [3, 3, 6, 1, 1, 22, 15, 2, 3, 1]
    for balance in read_back["balances"]:  # charge less refunds equals what was allocated, to the unit
        totals = {kind: Decimal(amount) for kind, amount in balance.items()}
        allocated = sum(totals.get(kind, Decimal(0)) for kind in ALLOCATIONS)
        assert totals["charge"] + totals.get("refund", Decimal(0)) == allocated, balance
    assert read_back["refund_events"] == ["insert", "update", "update"]
