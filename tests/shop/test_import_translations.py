"""Product texts in the buyers' languages travel in the import file: `name_de`, `description_de`, ..."""

import io

import pytest
import tablib
from django.urls import reverse

from shop.models import Product, ProductTranslation
from shop.resources import ProductResource
from tests.shop.factories import BrandFactory, MembershipFactory, UserFactory, category_create, priced_variant

pytestmark = pytest.mark.django_db

BASE = ("slug,name,name_zh,manufacturer,brand,category,upper_material,gender,country_of_origin,hs_code,"
        "cn_commodity_code,legal_unit1,legal_unit2,is_active,covers_ankle")


@pytest.fixture
def world():
    category_create("shoes")
    a = MembershipFactory(user__username="staff_a", manufacturer__slug="maker-a")
    b = MembershipFactory(user__username="staff_b", manufacturer__slug="maker-b")
    BrandFactory(manufacturer=a.manufacturer, name="Alpha", slug="alpha")
    brand_b = BrandFactory(manufacturer=b.manufacturer, name="Bravo", slug="bravo")
    boot_b = priced_variant(product__manufacturer=b.manufacturer, product__brand=brand_b,
                            product__slug="b-boot").product
    ProductTranslation.objects.create(product=boot_b, language="de", name="B-Stiefel")
    return {"a": a, "b": b, "boot_b": boot_b, "operator": UserFactory(is_staff=True, is_superuser=True)}


def row(slug="a-boot", name="Chelsea boot", name_zh="切尔西靴", brand="alpha"):
    return f"{slug},{name},{name_zh},maker-a,{brand},shoes,leather,men,CN,640391,6403911900,025,035,1,1"


def run(content: str, manufacturer=None, dry_run=False):
    dataset = tablib.Dataset().load(content, format="csv")
    return ProductResource(manufacturer=manufacturer).import_data(dataset, dry_run=dry_run, use_transactions=True)


def texts(slug):
    return list(ProductTranslation.objects.filter(product__slug=slug).order_by("language")
                .values_list("language", "name", "description"))


def test_import_creates_translations_and_export_gives_them_back(world):
    content = (f"{BASE},name_de,description_de,name_ja,description_ja,description_zh\n"
               f"{row()},Chelsea-Stiefel,Aus Leder.,チェルシーブーツ,,牛皮切尔西靴。\n")
    result = run(content)
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    assert texts("a-boot") == [("de", "Chelsea-Stiefel", "Aus Leder."), ("ja", "チェルシーブーツ", ""),
                               ("zh", "切尔西靴", "牛皮切尔西靴。")]  # Chinese is named after the product's name_zh

    exported = ProductResource().export(queryset=Product.objects.filter(slug="a-boot")).dict[0]
    assert (exported["name_de"], exported["description_de"], exported["name_fr"]) == (
        "Chelsea-Stiefel", "Aus Leder.", "")
    assert (exported["name_zh"], exported["description_zh"]) == ("切尔西靴", "牛皮切尔西靴。")
    assert "name_en" not in exported  # English is the name and description columns


def test_an_empty_cell_keeps_the_stored_text_and_a_filled_one_replaces_it(world):
    run(f"{BASE},name_de,description_de\n{row()},Chelsea-Stiefel,Aus Leder.\n")
    result = run(f"{BASE},name_de,description_de,name_fr\n{row()},,Aus feinem Leder.,\n")
    assert not result.has_validation_errors()
    assert texts("a-boot") == [("de", "Chelsea-Stiefel", "Aus feinem Leder.")]  # no French row from empty cells

    # A file without the language columns at all changes no translation either.
    run(f"{BASE}\n{row(name='Chelsea boot II')}\n")
    assert texts("a-boot") == [("de", "Chelsea-Stiefel", "Aus feinem Leder.")]


def test_an_unchanged_file_is_skipped_and_a_changed_translation_is_not(world):
    content = f"{BASE},name_de\n{row()},Chelsea-Stiefel\n"
    run(content)
    assert [r.import_type for r in run(content).rows] == ["skip"]
    assert [r.import_type for r in run(content.replace("Chelsea-Stiefel", "Stiefel")).rows] == ["update"]
    assert texts("a-boot") == [("de", "Stiefel", "")]


def test_a_description_without_a_name_for_a_new_language_is_a_row_error_and_writes_nothing(world):
    result = run(f"{BASE},name_de,description_fr\n{row()},Chelsea-Stiefel,En cuir.\n")
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert list(invalid.field_specific_errors) == ["name_fr"]
    assert not Product.objects.filter(slug="a-boot").exists()
    assert texts("a-boot") == []


def test_a_too_long_name_is_an_error_on_its_column(world):
    result = run(f"{BASE},name_it\n{row()},{'x' * 201}\n")
    assert list(result.invalid_rows[0].field_specific_errors) == ["name_it"]
    assert not Product.objects.filter(slug="a-boot").exists()


@pytest.mark.parametrize("column", ["name_pt", "description_jp", "name_en", "Name_DE"])
def test_a_column_for_a_language_we_do_not_translate_into_refuses_the_file(world, column):
    result = run(f"{BASE},{column}\n{row()},Bota\n")
    assert result.has_errors()
    assert column in str(result.base_errors[0].error)
    assert not Product.objects.filter(slug="a-boot").exists()


def test_a_dry_run_writes_no_translation(world):
    result = run(f"{BASE},name_de\n{row()},Chelsea-Stiefel\n", dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert texts("a-boot") == []


def _admin_import(client, content):
    upload = io.BytesIO(content.encode())
    upload.name = "rows.csv"
    response = client.post(reverse("admin:shop_product_import"),
                           {"format": "0", "resource": "0", "import_file": upload})
    assert response.status_code == 200
    return response


def test_staff_import_translations_of_their_products_through_the_admin(client, world):
    client.force_login(world["a"].user)
    response = _admin_import(client, f"{BASE},name_ko\n{row()},첼시 부츠\n")
    assert texts("a-boot") == []  # the first step is a dry run
    client.post(reverse("admin:shop_product_process_import"), response.context["confirm_form"].initial)
    assert texts("a-boot") == [("ko", "첼시 부츠", "")]


def test_staff_cannot_translate_another_manufacturers_product_by_import(client, world):
    client.force_login(world["a"].user)
    response = _admin_import(client, f"{BASE},name_de\n{row(slug='b-boot', brand='bravo')},Gekapert\n")
    assert response.context["result"].has_validation_errors()
    assert "confirm_form" not in response.context
    assert texts("b-boot") == [("de", "B-Stiefel", "")]
