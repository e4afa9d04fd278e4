"""A manufacturer's staff can never read or change another manufacturer's rows through any admin page,
filter, autocomplete, export, import or bulk action; operators see everything."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from shop.models import Price, Product, StockLevel, Variant, Warehouse
from tests.shop.factories import (
    BrandFactory,
    MembershipFactory,
    UserFactory,
    WarehouseFactory,
    category_create,
    priced_variant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    category_create("shoes")
    a = MembershipFactory(user__username="staff_a")
    b = MembershipFactory(user__username="staff_b")
    brand_a = BrandFactory(manufacturer=a.manufacturer, name="Alpha", slug="alpha")
    brand_b = BrandFactory(manufacturer=b.manufacturer, name="Bravo", slug="bravo")
    va = priced_variant(product__manufacturer=a.manufacturer, product__brand=brand_a, product__slug="a-boot",
                        sku="A-1")
    vb = priced_variant(product__manufacturer=b.manufacturer, product__brand=brand_b, product__slug="b-boot",
                        sku="B-1")
    operator = UserFactory(username="op", is_staff=True, is_superuser=True)
    return {"a": a, "b": b, "va": va, "vb": vb, "brand_a": brand_a, "brand_b": brand_b, "operator": operator}


def login(client, user):
    client.force_login(user)
    return client


CHANGELISTS = [
    ("shop", "product", lambda w, m: w[f"v{m}"].product),
    ("shop", "variant", lambda w, m: w[f"v{m}"]),
    ("shop", "price", lambda w, m: w[f"v{m}"].prices.get()),
    ("shop", "stocklevel", lambda w, m: w[f"v{m}"].stock_levels.get()),
    ("shop", "brand", lambda w, m: w[f"brand_{m}"]),
    ("shop", "warehouse", lambda w, m: w[f"v{m}"].stock_levels.get().warehouse),
    ("shop", "manufacturer", lambda w, m: w[m].manufacturer),
]


@pytest.mark.parametrize(("app", "model", "row"), CHANGELISTS)
def test_staff_changelist_lists_only_own_rows(client, world, app, model, row):
    login(client, world["a"].user)
    response = client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200
    pks = {obj.pk for obj in response.context["cl"].result_list}
    assert pks == {row(world, "a").pk}


@pytest.mark.parametrize(("app", "model", "row"), CHANGELISTS)
def test_staff_cannot_open_or_change_another_manufacturers_row(client, world, app, model, row):
    login(client, world["a"].user)
    other = row(world, "b")
    url = reverse(f"admin:{app}_{model}_change", args=[other.pk])
    assert client.get(url).status_code == 302  # "does not exist" redirect, nothing rendered
    before = type(other).objects.filter(pk=other.pk).values().get()
    response = client.post(url, {"name": "hijacked", "on_hand": 0, "amount": "1"})
    assert response.status_code in (302, 403)
    assert type(other).objects.filter(pk=other.pk).values().get() == before


@pytest.mark.parametrize(("app", "model", "row"), CHANGELISTS)
def test_operator_sees_every_manufacturers_rows(client, world, app, model, row):
    login(client, world["operator"])
    response = client.get(reverse(f"admin:{app}_{model}_changelist"))
    pks = {obj.pk for obj in response.context["cl"].result_list}
    assert {row(world, "a").pk, row(world, "b").pk} <= pks


def test_staff_can_edit_own_product(client, world):
    login(client, world["a"].user)
    product = world["va"].product
    url = reverse("admin:shop_product_change", args=[product.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({
        "name": "Renamed boot", "manufacturer": product.manufacturer_id, "brand": product.brand_id,
        "category": product.category_id, "covers_ankle": "on", "is_active": "on",
        "variants-TOTAL_FORMS": 0, "variants-INITIAL_FORMS": 0,
        "images-TOTAL_FORMS": 0, "images-INITIAL_FORMS": 0,
        "translations-TOTAL_FORMS": 0, "translations-INITIAL_FORMS": 0,
    })
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    product.refresh_from_db()
    assert product.name == "Renamed boot"


def test_staff_cannot_attach_product_to_another_manufacturer_or_brand(client, world):
    login(client, world["a"].user)
    response = client.post(reverse("admin:shop_product_add"), {
        "manufacturer": world["b"].manufacturer.pk, "brand": world["brand_b"].pk,
        "category": world["va"].product.category_id, "name": "Sneaky", "slug": "sneaky",
        "upper_material": "leather", "gender": "men", "country_of_origin": "CN", "hs_code": "640391",
        "cn_commodity_code": "6403911900", "legal_unit1": "025", "legal_unit2": "035",
        "variants-TOTAL_FORMS": 0, "variants-INITIAL_FORMS": 0, "images-TOTAL_FORMS": 0, "images-INITIAL_FORMS": 0,
        "translations-TOTAL_FORMS": 0, "translations-INITIAL_FORMS": 0,
    })
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "manufacturer" in errors and "brand" in errors
    assert not Product.objects.filter(slug="sneaky").exists()


def test_autocomplete_offers_only_own_rows(client, world):
    login(client, world["a"].user)
    url = reverse("admin:autocomplete")
    response = client.get(url, {"app_label": "shop", "model_name": "product", "field_name": "brand", "term": ""})
    assert [r["text"] for r in response.json()["results"]] == ["Alpha"]
    response = client.get(url, {"app_label": "shop", "model_name": "price", "field_name": "variant", "term": ""})
    assert [r["text"] for r in response.json()["results"]] == ["A-1"]


def test_list_filters_offer_only_own_related_values(client, world):
    # A second brand of A's, so the brand filter has something to choose between.
    second = BrandFactory(manufacturer=world["a"].manufacturer, name="Alpha Two")
    priced_variant(product__manufacturer=world["a"].manufacturer, product__brand=second)
    login(client, world["a"].user)
    response = client.get(reverse("admin:shop_product_changelist"))
    choices = []
    for spec in response.context["cl"].filter_specs:
        choices += [c["display"] for c in spec.choices(response.context["cl"])]
    assert "Alpha" in choices
    assert "Bravo" not in choices
    assert world["b"].manufacturer.name not in choices
    # Filtering by the other manufacturer's brand id through the URL shows nothing of theirs.
    response = client.get(reverse("admin:shop_product_changelist"), {"brand__id__exact": world["brand_b"].pk})
    assert all(p.manufacturer_id == world["a"].manufacturer.pk for p in response.context["cl"].result_list)


def test_bulk_action_ignores_another_manufacturers_ids(client, world):
    login(client, world["a"].user)
    response = client.post(reverse("admin:shop_product_changelist"), {
        "action": "deactivate", "_selected_action": [world["va"].product.pk, world["vb"].product.pk],
    })
    assert response.status_code == 302
    assert Product.objects.get(pk=world["va"].product.pk).is_active is False
    assert Product.objects.get(pk=world["vb"].product.pk).is_active is True


def test_bulk_delete_ignores_another_manufacturers_ids(client, world):
    login(client, world["a"].user)
    client.post(reverse("admin:shop_price_changelist"), {
        "action": "delete_selected", "post": "yes",
        "_selected_action": [world["va"].prices.get().pk, world["vb"].prices.get().pk],
    })
    assert not Price.objects.filter(variant=world["va"]).exists()
    assert Price.objects.filter(variant=world["vb"]).exists()


def test_export_contains_only_own_rows(client, world):
    login(client, world["a"].user)
    url = reverse("admin:shop_variant_export")
    form = client.get(url).context["form"]
    data = {"format": "0", "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", 0)})
    data["export_items"] = [world["va"].pk, world["vb"].pk]
    response = client.post(url, data)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["sku"] for r in rows] == ["A-1"]


@pytest.mark.parametrize("model", ["product", "variant", "price", "stocklevel", "brand"])
def test_export_with_filters_the_model_cannot_take_goes_back_to_the_changelist(client, world, model):
    """Answered as the changelist answers the same parameters: a redirect flagged invalid, never a 500 and
    never a file."""
    login(client, world["a"].user)
    changelist = reverse(f"admin:shop_{model}_changelist")
    assert client.get(changelist, {"nonexistent_param": "1"})["Location"] == f"{changelist}?e=1"
    url = reverse(f"admin:shop_{model}_export")
    for query in ("?nonexistent_param=1", "?id__frobnicate=1", "?q=x&pk__gt=abc"):
        for response in (client.get(url + query), client.post(url + query, {"format": "0", "resource": "0"})):
            assert (query, response.status_code, response["Location"]) == (query, 302, f"{changelist}?e=1")
            assert "Content-Disposition" not in response
    # A search the changelist takes still narrows the export.
    form = client.get(url).context["form"]
    data = {"format": "0", "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", 0)})
    response = client.post(url + "?q=no-such-row", data)
    assert response.status_code == 200
    assert list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))) == []


def _import(client, model: str, content: str, confirm: bool = False):
    url = reverse(f"admin:shop_{model}_import")
    upload = io.BytesIO(content.encode())
    upload.name = "rows.csv"
    response = client.post(url, {"format": "0", "resource": "0", "import_file": upload})
    return response


def test_staff_import_cannot_touch_another_manufacturers_rows(client, world):
    login(client, world["a"].user)
    # Row 1 renames B's product by its slug; row 2 points A's new product at B's brand.
    content = (
        "slug,name,brand,category,upper_material,gender,country_of_origin,hs_code,cn_commodity_code,"
        "legal_unit1,legal_unit2,is_active,covers_ankle\n"
        "b-boot,Hijacked,bravo,shoes,leather,men,CN,640391,6403911900,025,035,1,1\n"
        "a-new,New boot,bravo,shoes,leather,men,CN,640391,6403911900,025,035,1,1\n"
    )
    response = _import(client, "product", content)
    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_validation_errors()
    assert Product.objects.get(slug="b-boot").name != "Hijacked"
    assert not Product.objects.filter(slug="a-new").exists()


def test_staff_brand_import_creates_own_brands_and_cannot_rename_anothers(client, world):
    from shop.models import Brand

    login(client, world["a"].user)
    response = _import(client, "brand", "slug,name,manufacturer\nalpha-two,Alpha Two,whatever\n")
    client.post(reverse("admin:shop_brand_process_import"), response.context["confirm_form"].initial)
    assert Brand.objects.get(slug="alpha-two").manufacturer == world["a"].manufacturer
    response = _import(client, "brand", f"id,slug,name\n{world['brand_b'].pk},bravo,Hijacked\n")
    assert response.context["result"].has_validation_errors()
    assert "confirm_form" not in response.context
    assert Brand.objects.get(pk=world["brand_b"].pk).name == "Bravo"


def test_staff_import_dry_run_then_confirm_creates_own_stock(client, world):
    login(client, world["a"].user)
    warehouse = WarehouseFactory(manufacturer=world["a"].manufacturer, code="a-de")
    response = _import(client, "stocklevel", "sku,warehouse,on_hand\nA-1,a-de,17\n")
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert not StockLevel.objects.filter(warehouse=warehouse).exists()  # dry run wrote nothing
    confirm = response.context["confirm_form"]
    response = client.post(reverse("admin:shop_stocklevel_process_import"), confirm.initial)
    assert response.status_code == 302
    assert StockLevel.objects.get(warehouse=warehouse, variant=world["va"]).on_hand == 17


def test_staff_import_of_others_variant_or_warehouse_is_a_row_error(client, world):
    login(client, world["a"].user)
    b_warehouse = world["vb"].stock_levels.get().warehouse
    response = _import(client, "stocklevel", f"sku,warehouse,on_hand\nB-1,{b_warehouse.code},0\n")
    result = response.context["result"]
    # The row's key does not resolve among A's rows: reported as a row error, import blocked.
    assert result.has_errors() or result.has_validation_errors()
    assert "No variant &#x27;B-1&#x27; of yours." in response.content.decode()
    assert "confirm_form" not in response.context
    assert world["vb"].stock_levels.get().on_hand == 10


def _add_warehouse(client, manufacturer, code: str):
    return client.post(reverse("admin:shop_warehouse_add"), {
        "manufacturer": manufacturer.pk, "code": code, "name": "Overseas", "kind": "overseas", "country": "DE",
        "city": "", "address": ""})


def test_warehouse_codes_of_another_manufacturer_cannot_be_discovered(client, world):
    """Codes are unique per manufacturer: another manufacturer's code is as free to use as one nobody has, in
    the admin form and in a stock import, so neither answers differently for a code that exists elsewhere."""
    b_code = world["vb"].stock_levels.get().warehouse.code
    login(client, world["a"].user)
    for code in (b_code, "nobody-has-this"):
        assert _add_warehouse(client, world["a"].manufacturer, code).status_code == 302
        assert Warehouse.objects.get(manufacturer=world["a"].manufacturer, code=code).name == "Overseas"
    # Only a code of one's own is taken, and the message names one's own manufacturer's rows only.
    response = _add_warehouse(client, world["a"].manufacturer, b_code)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Warehouse with this Manufacturer and Code already exists."]
    assert Warehouse.objects.filter(code=b_code).count() == 2

    # A stock row naming the code finds A's own warehouse of that name, never B's.
    response = _import(client, "stocklevel", f"sku,warehouse,on_hand\nA-1,{b_code},7\n")
    client.post(reverse("admin:shop_stocklevel_process_import"), response.context["confirm_form"].initial)
    assert StockLevel.objects.get(variant=world["va"], warehouse__code=b_code).warehouse.manufacturer == \
        world["a"].manufacturer
    assert StockLevel.objects.get(variant=world["vb"]).on_hand == 10
    # A code A has no warehouse under reads the same whether B has one or not.
    b_only = WarehouseFactory(manufacturer=world["b"].manufacturer, code="b-only").code
    for code in (b_only, "no-such-code"):
        response = _import(client, "stocklevel", f"sku,warehouse,on_hand\nA-1,{code},1\n")
        assert f"No warehouse &#x27;{code}&#x27; of yours." in response.content.decode()
        assert "confirm_form" not in response.context


def test_operator_stock_import_finds_the_warehouse_of_the_rows_variant(client, world):
    """Two manufacturers may use one code; an operator's stock row means the one of its variant's manufacturer."""
    WarehouseFactory(manufacturer=world["a"].manufacturer, code="shared-de")
    b_shared = WarehouseFactory(manufacturer=world["b"].manufacturer, code="shared-de")
    login(client, world["operator"])
    response = _import(client, "stocklevel", "sku,warehouse,on_hand\nB-1,shared-de,4\nA-1,nowhere,1\n")
    assert "No warehouse &#x27;nowhere&#x27; of the manufacturer of &#x27;A-1&#x27;." in response.content.decode()
    response = _import(client, "stocklevel", "sku,warehouse,on_hand\nB-1,shared-de,4\n")
    client.post(reverse("admin:shop_stocklevel_process_import"), response.context["confirm_form"].initial)
    assert StockLevel.objects.get(variant=world["vb"], warehouse__code="shared-de").warehouse == b_shared
    assert not StockLevel.objects.filter(variant=world["va"], warehouse__code="shared-de").exists()


def test_import_price_with_too_many_decimals_is_a_row_error(client, world):
    login(client, world["a"].user)
    response = _import(client, "price", "sku,currency,amount\nA-1,JPY,100.5\nA-1,EUR,-3\n")
    result = response.context["result"]
    assert result.has_validation_errors()
    assert len(result.invalid_rows) == 2
    assert Price.objects.filter(variant=world["va"]).count() == 1
    assert Variant.objects.get(sku="A-1").prices.get().amount == Decimal("100.00")


def test_buyer_without_staff_flag_cannot_use_admin(client, world):
    login(client, UserFactory(username="buyer"))
    response = client.get(reverse("admin:shop_product_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_price_change_and_import_update_the_storefront_listing(client, world, api_client):
    from shop.models import ProductListing

    login(client, world["a"].user)
    price = world["va"].prices.get()
    response = client.post(reverse("admin:shop_price_change", args=[price.pk]),
                           {"variant": world["va"].pk, "currency": "USD", "amount": "88.00"})
    assert response.status_code == 302
    listing = ProductListing.objects.get(product=world["va"].product, currency="USD")
    assert listing.from_price == Decimal("88.00")

    response = _import(client, "price", "sku,currency,amount\nA-1,USD,77.00\n")
    client.post(reverse("admin:shop_price_process_import"), response.context["confirm_form"].initial)
    listing.refresh_from_db()
    assert listing.from_price == Decimal("77.00")
