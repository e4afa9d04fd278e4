from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from shop import services
from shop.models import (
    Brand,
    Category,
    FxRate,
    Manufacturer,
    ManufacturerMembership,
    Price,
    Product,
    StockLevel,
    Variant,
    Warehouse,
)
from shop.validators import gtin_check_digit, uscc_check_character


def make_customs_code(n: int) -> str:
    body = f"91330300{n:09d}"  # 9 = enterprise, 1 = company, 330300 = a Wenzhou-area division code
    return body + uscc_check_character(body)


def make_gtin(n: int) -> str:
    body = f"69{n:010d}"  # 69x prefixes are GS1 China
    return body + gtin_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class ManufacturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Manufacturer

    name = factory.Sequence(lambda n: f"Wenzhou Footwear Co. {n}")
    slug = factory.Sequence(lambda n: f"maker-{n}")
    customs_code = factory.Sequence(make_customs_code)
    pricing_currency = "USD"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManufacturerMembership

    user = factory.SubFactory(UserFactory, is_staff=True)
    manufacturer = factory.SubFactory(ManufacturerFactory)


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse

    manufacturer = factory.SubFactory(ManufacturerFactory)
    code = factory.Sequence(lambda n: f"wh-{n}")
    name = factory.Sequence(lambda n: f"Factory warehouse {n}")
    country = "CN"


def category_create(slug: str, parent: Category | None = None) -> Category:
    return services.category_save(category=Category(name=slug.title(), slug=slug, parent=parent))


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    manufacturer = factory.SubFactory(ManufacturerFactory)
    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    manufacturer = factory.SubFactory(ManufacturerFactory)
    brand = factory.SubFactory(BrandFactory, manufacturer=factory.SelfAttribute("..manufacturer"))
    category = factory.LazyFunction(lambda: Category.objects.filter(slug="shoes").first() or category_create("shoes"))
    name = factory.Sequence(lambda n: f"Leather ankle boot {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    upper_material = "leather"
    outer_sole_material = "rubber_plastics"
    covers_ankle = True
    hs_code = "640391"
    cn_commodity_code = "6403911900"
    declaration_elements = "0|0|包脚踝|牛皮|橡胶|品牌|款号"


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    size_label = "42"
    foot_length_mm = 260
    width_class = "E"
    colour = "black"
    gtin = factory.Sequence(make_gtin)
    net_weight_kg = Decimal("0.900")
    gross_weight_kg = Decimal("1.200")


class PriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Price

    variant = factory.SubFactory(VariantFactory)
    currency = "USD"
    amount = Decimal("100.00")


class StockLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StockLevel

    variant = factory.SubFactory(VariantFactory)
    warehouse = factory.SubFactory(
        WarehouseFactory, manufacturer=factory.SelfAttribute("..variant.product.manufacturer")
    )
    on_hand = 10
    reserved = 0


class FxRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FxRate

    base = "USD"
    quote = "EUR"
    rate = Decimal("0.9200000000")
    as_of = factory.Faker("past_date")
    source = "test rates"


def priced_variant(*, amount="100.00", currency="USD", stock=10, **variant_kwargs) -> Variant:
    variant = VariantFactory(**variant_kwargs)
    PriceFactory(variant=variant, currency=currency, amount=Decimal(amount))
    if stock is not None:
        StockLevelFactory(variant=variant, on_hand=stock)
    services.product_listing_refresh(product_ids=[variant.product_id])
    return variant
