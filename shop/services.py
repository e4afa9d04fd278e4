"""Writes to the catalog. Other apps change shop's rows only through these functions."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from config.errors import InvalidInput

from .errors import FxRateUnavailable, InsufficientStock
from .models import (
    CatalogChange,
    Category,
    FxRate,
    Manufacturer,
    ManufacturerMembership,
    Product,
    ProductListing,
    ProductTranslation,
    StockLevel,
    Variant,
    Warehouse,
)
from .money import CURRENCY_EXPONENTS
from .selectors import fx_table_get, variant_price_expression


@transaction.atomic
def category_save(*, category: Category) -> Category:
    """Save a category and keep the materialised paths of it and its subtree right."""
    if category.parent_id:
        ancestor = Category.objects.get(pk=category.parent_id)
        while ancestor is not None:
            if category.pk and ancestor.pk == category.pk:
                raise InvalidInput("A category cannot be its own ancestor.", fields={"parent": ["Cycle."]})
            ancestor = ancestor.parent
    old_path = Category.objects.filter(pk=category.pk).values_list("path", flat=True).first()
    parent_path = Category.objects.get(pk=category.parent_id).path if category.parent_id else ""
    category.path = f"{parent_path}/{category.slug}" if parent_path else category.slug
    category.save()
    if old_path and old_path != category.path:
        for child in Category.objects.filter(path__startswith=old_path + "/").order_by("path"):
            child.path = category.path + child.path[len(old_path):]
            child.save(update_fields=["path"])
    return category


def _translation_rows(product: Product, texts: dict[str, dict[str, str]], existing: dict[str, ProductTranslation]
                      ) -> tuple[list[ProductTranslation], dict[str, list[str]]]:
    changed, errors = [], {}
    for language, parts in texts.items():
        parts = {part: text for part, text in parts.items() if text}
        if not parts:
            continue
        row = existing.get(language) or ProductTranslation(product=product, language=language)
        if row.pk is None and language == "zh" and not parts.get("name"):
            row.name = product.name_zh  # the factory's own Chinese name
        if row.pk is None and not (parts.get("name") or row.name):
            errors[f"name_{language}"] = [f"A new {language} translation needs a name."]
            continue
        for part, text in parts.items():
            setattr(row, part, text)
        try:
            row.full_clean(exclude=["product"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.update({f"{field}_{language}": messages for field, messages in exc.message_dict.items()})
            continue
        changed.append(row)
    return changed, errors


def product_translations_errors(*, product: Product, texts: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    """What product_translations_merge() would refuse, by the file's column, without writing anything."""
    existing = {row.language: row for row in product.translations.all()} if product.pk else {}
    return _translation_rows(product, texts, existing)[1]


@transaction.atomic
def product_translations_merge(*, product: Product, texts: dict[str, dict[str, str]]) -> list[ProductTranslation]:
    """Creates or updates the product's translation rows from `texts` ({language: {"name": ..., "description":
    ...}}, as an import file carries them): a text left empty keeps what is stored, so a file never erases a
    translation; a new language needs a name (Chinese takes the product's own Chinese name). Errors name the
    file's column (`name_de`), and then nothing is written."""
    existing = {row.language: row for row in ProductTranslation.objects.select_for_update().filter(product=product)}
    changed, errors = _translation_rows(product, texts, existing)
    if errors:
        raise ValidationError(errors)
    for row in changed:
        row.save()
    return changed


@transaction.atomic
def manufacturer_staff_create(*, manufacturer: Manufacturer, username: str, email: str, password: str,
                              role: str = ManufacturerMembership.Role.CATALOG):
    """A user who can log in to the admin and sees only this manufacturer's rows."""
    user = get_user_model().objects.create_user(username=username, email=email, password=password,
                                                is_staff=True)
    ManufacturerMembership.objects.create(user=user, manufacturer=manufacturer, role=role)
    return user


@transaction.atomic
def stock_set(*, variant: Variant, warehouse: Warehouse, on_hand: int) -> StockLevel:
    """Set the counted units on hand; refused below what is already reserved for orders."""
    if warehouse.manufacturer_id != variant.product.manufacturer_id:
        raise InvalidInput("This warehouse belongs to another manufacturer.", fields={"warehouse": ["Not yours."]})
    if on_hand < 0:
        raise InvalidInput("Stock on hand cannot be negative.", fields={"on_hand": ["Must be 0 or more."]})
    level, _ = StockLevel.objects.get_or_create(variant=variant, warehouse=warehouse)
    updated = StockLevel.objects.filter(pk=level.pk, reserved__lte=on_hand).update(on_hand=on_hand)
    if not updated:
        level.refresh_from_db()
        raise InsufficientStock(
            f"{level.reserved} units are reserved for open orders and live deals; on hand cannot go below that.",
            fields={"on_hand": [f"At least {level.reserved}."]},
        )
    level.refresh_from_db()
    return level


def _units_checked(quantity: int) -> None:
    # A negative count would turn the conditional update around: "release -2" would reserve two more.
    if quantity <= 0:
        raise InvalidInput("Quantity must be positive.", fields={"quantity": ["Must be 1 or more."]})


_STOCK_TABLE = StockLevel._meta.db_table
_STOCK_TAKE_SQL = f"""
WITH current AS (
    SELECT id, LEAST(%(wanted)s, on_hand - reserved) AS take
    FROM {_STOCK_TABLE} WHERE id = %(id)s AND on_hand > reserved FOR UPDATE
)
UPDATE {_STOCK_TABLE} AS s SET reserved = s.reserved + current.take, updated_at = now()
FROM current WHERE s.id = current.id AND current.take > 0
RETURNING current.take
"""  # noqa: S608 - the table name comes from the model


def stock_take(*, stock_level_id: int, wanted: int) -> int:
    """Reserve up to `wanted` units of one stock row and return how many were reserved (0 when none
    are free). One statement: the row is locked and read at its latest committed value, so concurrent
    buyers never reserve the same unit; a sold-out row is skipped without taking its lock. Call it
    inside the caller's transaction, for rows in a fixed order (variant id, then preference), so
    overlapping carts cannot deadlock."""
    _units_checked(wanted)
    with connection.cursor() as cursor:
        cursor.execute(_STOCK_TAKE_SQL, {"wanted": wanted, "id": stock_level_id})
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def stock_release(*, stock_level_id: int, quantity: int) -> bool:
    """Return reserved units to sale (order expired or cancelled before shipping)."""
    _units_checked(quantity)
    return bool(
        StockLevel.objects.filter(pk=stock_level_id, reserved__gte=quantity).update(
            reserved=F("reserved") - quantity
        )
    )


def stock_ship(*, stock_level_id: int, quantity: int) -> bool:
    """Reserved units leave the warehouse: both on hand and reserved go down."""
    _units_checked(quantity)
    return bool(
        StockLevel.objects.filter(pk=stock_level_id, reserved__gte=quantity, on_hand__gte=quantity).update(
            reserved=F("reserved") - quantity, on_hand=F("on_hand") - quantity
        )
    )


def product_deactivate(*, products) -> int:
    """Hide products from the storefront (their rows, orders and history stay)."""
    return products.update(is_active=False)


@dataclass
class FxLoadResult:
    created: int
    updated: int


_FX_COLUMNS = ["base", "quote", "rate", "as_of", "source"]


def _fx_rows(path: Path) -> Iterable[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in _FX_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InvalidInput(f"The FX file lacks the columns: {', '.join(missing)}.")
        yield from enumerate(reader, start=2)


@transaction.atomic
def fx_rates_load(*, path: Path) -> FxLoadResult:
    """Load FX rates from a CSV file (base,quote,rate,as_of,source). All rows or none: a file with
    any bad row changes nothing and the error names every bad line."""
    errors: dict[str, list[str]] = {}
    parsed: list[FxRate] = []
    for line, row in _fx_rows(path):
        problems = []
        base, quote = (row.get("base") or "").strip().upper(), (row.get("quote") or "").strip().upper()
        for code in (base, quote):
            if code not in CURRENCY_EXPONENTS:
                problems.append(f"unknown currency {code!r}")
        if base == quote:
            problems.append("base and quote are the same")
        try:
            rate = Decimal((row.get("rate") or "").strip())
            if not rate.is_finite() or rate <= 0:
                raise InvalidOperation
        except InvalidOperation:
            problems.append(f"rate {row.get('rate')!r} is not a positive number")
            rate = Decimal(0)
        try:
            as_of = dt.date.fromisoformat((row.get("as_of") or "").strip())
        except ValueError:
            problems.append(f"as_of {row.get('as_of')!r} is not a YYYY-MM-DD date")
            as_of = None
        source = (row.get("source") or "").strip()
        if not source:
            problems.append("source is empty")
        if problems:
            errors[f"line {line}"] = problems
        else:
            parsed.append(FxRate(base=base, quote=quote, rate=rate, as_of=as_of, source=source[:200]))
    if errors:
        raise InvalidInput("The FX file has invalid rows; nothing was loaded.", fields=errors)
    created = updated = 0
    for fx in parsed:
        _, was_created = FxRate.objects.update_or_create(
            base=fx.base, quote=fx.quote, as_of=fx.as_of, defaults={"rate": fx.rate, "source": fx.source}
        )
        created += was_created
        updated += not was_created
    product_listing_refresh()
    return FxLoadResult(created=created, updated=updated)


@transaction.atomic
def product_listing_refresh(*, product_ids: Iterable[int] | None = None) -> int:
    """Recompute the browse read model (ProductListing) for some products, or all. Uses the same SQL
    price rule as the storefront; a currency without an FX path is left out, not guessed."""
    products = Product.objects.all()
    if product_ids is not None:
        products = products.filter(pk__in=list(product_ids))
    fx = fx_table_get()
    written = 0
    for currency in settings.LIVEDOCK_SUPPORTED_CURRENCIES:
        stale = ProductListing.objects.filter(currency=currency, product__in=products)
        try:
            price = variant_price_expression(currency=currency, fx=fx)
        except FxRateUnavailable:
            stale.delete()
            continue
        cheapest = (
            Variant.objects.filter(product=OuterRef("pk"), is_active=True)
            .annotate(price=price).filter(price__isnull=False).order_by("price").values("price")[:1]
        )
        rows = products.annotate(from_price=Subquery(cheapest)).values_list("pk", "from_price")
        listings = [ProductListing(product_id=pk, currency=currency, from_price=amount)
                    for pk, amount in rows if amount is not None]
        stale.exclude(product_id__in=[listing.product_id for listing in listings]).delete()
        ProductListing.objects.bulk_create(
            listings, batch_size=2000, update_conflicts=True, unique_fields=["product", "currency"],
            update_fields=["from_price", "refreshed_at"],
        )
        written += len(listings)
    return written


CATALOG_CHANGES_KEPT = dt.timedelta(hours=1)


def catalog_changes_prune(*, kept: dt.timedelta = CATALOG_CHANGES_KEPT) -> int:
    """Delete catalog change-log rows older than `kept`: the response cache reads only seconds back, and a
    process that could not read for longer serves nothing from its cache (shop/catalog_cache.py)."""
    deleted, _ = CatalogChange.objects.filter(created_at__lt=timezone.now() - kept).delete()
    return deleted
