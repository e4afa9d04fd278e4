"""A believable demo catalog: three fictional factories from a Wenzhou-like shoe and apparel cluster.

Idempotent: running it again updates the same rows (keyed by slug, SKU and code) and adds nothing.
Product classification follows the customs spec's chapter 64 guide; the cycling jerseys' heading is
contested (6110 vs 6114) and is shown here as 6110.30 pending a binding ruling.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from . import demo_texts, services
from .models import (
    Brand,
    BrandTranslation,
    CatalogTerm,
    Category,
    CategoryTranslation,
    Manufacturer,
    ManufacturerMembership,
    Price,
    Product,
    ProductImage,
    ProductTranslation,
    StockLevel,
    Variant,
    Warehouse,
)
from .validators import gtin_check_digit, uscc_check_character

DEMO_PASSWORD = "livedock-demo"  # noqa: S105 - documented demo login, development data only
FX_FILE = Path(settings.BASE_DIR) / "data" / "fx" / "demo-2026-11-20.csv"


def _customs_code(body17: str) -> str:
    return body17 + uscc_check_character(body17)


@dataclass(frozen=True)
class Line:
    """One product family a factory makes."""

    category: str
    kind: str
    names: tuple[str, ...]
    upper: str
    sole: str
    covers_ankle: bool
    hs_code: str
    cn_code: str
    sizes: tuple[str, ...]
    colours: tuple[str, ...]
    price_range: tuple[int, int]
    weight_kg: tuple[str, str]
    gender: str = "men"


BOOT_SIZES = tuple(str(s) for s in range(39, 47))
WOMEN_SIZES = tuple(str(s) for s in range(35, 42))
APPAREL_SIZES = ("S", "M", "L", "XL")

FACTORIES = [
    {
        "slug": "ouhai-leatherworks",
        "name": "Ouhai Leatherworks Co., Ltd.",
        "name_zh": "瓯海皮革制品有限公司",
        "code": "91330304MA2CQ7HX1",
        "currency": "CNY",
        "brands": [("ouhai-heritage", "Ouhai Heritage"), ("ridgeline", "Ridgeline")],
        "lines": [
            Line("leather-boots", "boot", ("Chelsea Boot", "Chukka Boot", "Work Boot", "Lace-up Ankle Boot",
                                           "Side-zip Boot", "Moc-toe Boot", "Engineer Boot", "Desert Boot",
                                           "Brogue Boot", "Hiker Boot", "Jodhpur Boot", "Cap-toe Boot"),
                 "leather", "rubber_plastics", True, "640391", "6403911900", BOOT_SIZES, ("Black", "Tan"),
                 (699, 1299), ("1.100", "1.500")),
            Line("loafers", "loafer", ("Penny Loafer", "Tassel Loafer", "Horsebit Loafer", "Driving Loafer",
                                       "Venetian Loafer", "Bit Loafer", "Suede Loafer", "Slip-on Loafer"),
                 "leather", "rubber_plastics", False, "640399", "6403999000", BOOT_SIZES, ("Brown", "Black"),
                 (459, 899), ("0.700", "0.950")),
            Line("loafers", "loafer", ("Ballet Loafer", "Chain Loafer", "Platform Loafer", "Soft Loafer"),
                 "leather", "rubber_plastics", False, "640399", "6403999000", WOMEN_SIZES, ("Cream", "Black"),
                 (399, 799), ("0.550", "0.800"), "women"),
            Line("leather-boots", "boot", ("Heeled Ankle Boot", "Knee Boot", "Combat Boot", "Sock Boot",
                                           "Western Boot", "Lug-sole Boot"),
                 "leather", "rubber_plastics", True, "640391", "6403911900", WOMEN_SIZES, ("Black", "Cognac"),
                 (799, 1399), ("0.900", "1.300"), "women"),
        ],
    },
    {
        "slug": "lucheng-stride",
        "name": "Lucheng Stride Footwear Co., Ltd.",
        "name_zh": "鹿城步履鞋业有限公司",
        "code": "91330302MA2H8KLN5",
        "currency": "USD",
        "brands": [("stride-lab", "Stride Lab")],
        "lines": [
            Line("sneakers", "sneaker", ("Knit Runner", "Court Classic", "Trail Runner", "City Walker",
                                         "Mesh Trainer", "Retro Jogger", "Canvas Low", "Canvas High",
                                         "Daily Trainer", "Racer Lite", "Cloud Step", "Tempo Runner",
                                         "Urban Slip-on", "Court Mid", "Gym Trainer", "Recovery Runner",
                                         "Balance Runner", "Street Skate"),
                 "textile", "rubber_plastics", False, "640411", "6404110000", BOOT_SIZES,
                 ("White", "Grey", "Navy"), (45, 95), ("0.600", "0.850"), "unisex"),
        ],
    },
    {
        "slug": "yongjia-velo",
        "name": "Yongjia Velo Apparel Co., Ltd.",
        "name_zh": "永嘉骑行服饰有限公司",
        "code": "91330324MA2J4T0R8",
        "currency": "USD",
        "brands": [("velo-east", "Velo East")],
        "lines": [
            Line("cycling-jerseys", "jersey", ("Climber Jersey", "Aero Jersey", "Gravel Jersey",
                                               "Thermal Jersey", "Endurance Jersey", "Race Jersey",
                                               "Summit Jersey", "Breeze Jersey", "Club Jersey", "Team Jersey",
                                               "Long-sleeve Jersey", "Lightweight Jersey"),
                 "textile", "", False, "611030", "6110300090", APPAREL_SIZES, ("Red", "Blue"),
                 (35, 69), ("0.150", "0.220"), "unisex"),
        ],
    },
]

CATEGORIES = [
    ("footwear", None, "Footwear"),
    ("boots", "footwear", "Boots"),
    ("leather-boots", "boots", "Leather boots"),
    ("loafers", "footwear", "Loafers"),
    ("sneakers", "footwear", "Sneakers"),
    ("apparel", None, "Apparel"),
    ("cycling-jerseys", "apparel", "Cycling jerseys"),
]


def _foot_length_mm(size: str, gender: str) -> int | None:
    if not size.isdigit():
        return None
    # EU shoe size to foot length per the men's reference table (EU = 2 x JP cm - 10).
    return (int(size) + 10) * 5


def _gtin_for(sku: str) -> str:
    """A stable GTIN-13 per SKU (GS1 China prefix 69), so reruns never reshuffle barcodes."""
    body = "69" + str(int(hashlib.sha256(sku.encode()).hexdigest(), 16) % 10**10).zfill(10)
    return body + gtin_check_digit(body)


def _slug(text: str) -> str:
    return text.lower().replace(" ", "-").replace("/", "-")


def _catalog_terms_load() -> None:
    """Materials, the demo's colours and genders in every language."""
    tables = ((CatalogTerm.Kind.MATERIAL, demo_texts.MATERIALS), (CatalogTerm.Kind.COLOUR, demo_texts.COLOURS),
              (CatalogTerm.Kind.GENDER, demo_texts.GENDERS))
    terms = [CatalogTerm(kind=kind, key=key, language=language, text=text) for kind, table in tables
             for key, texts in table.items() for language, text in zip(demo_texts.TERM_LANGUAGES, texts, strict=True)]
    CatalogTerm.objects.bulk_create(terms, update_conflicts=True, unique_fields=["kind", "key", "language"],
                                    update_fields=["text"])


@transaction.atomic
def demo_data_load(*, stdout=None) -> dict[str, int]:
    rng = random.Random(20261120)  # noqa: S311 - deterministic demo data, not security
    services.fx_rates_load(path=FX_FILE)

    categories: dict[str, Category] = {}
    for slug, parent, name in CATEGORIES:
        category = Category.objects.filter(slug=slug).first() or Category(slug=slug)
        category.name, category.parent = name, categories.get(parent)
        categories[slug] = services.category_save(category=category)
        for language, text in zip((*demo_texts.MARKETS, "zh"), demo_texts.CATEGORY_NAMES[slug], strict=True):
            CategoryTranslation.objects.update_or_create(category=categories[slug], language=language,
                                                         defaults={"name": text})
    _catalog_terms_load()

    counts = {"products": 0, "variants": 0}
    for factory in FACTORIES:
        code = _customs_code(factory["code"][:17])
        maker, _ = Manufacturer.objects.update_or_create(
            slug=factory["slug"],
            defaults={"name": factory["name"], "name_zh": factory["name_zh"], "customs_code": code,
                      "country": "CN", "pricing_currency": factory["currency"],
                      "contact_email": f"export@{factory['slug']}.example.com",
                      "contact_name": "Export desk"},
        )
        warehouses = [
            Warehouse.objects.update_or_create(
                manufacturer=maker, code=f"{factory['slug']}-wz",
                defaults={"name": "Wenzhou factory warehouse", "kind": "factory", "country": "CN",
                          "city": "Wenzhou"})[0],
            Warehouse.objects.update_or_create(
                manufacturer=maker, code=f"{factory['slug']}-de",
                defaults={"name": "EU overseas warehouse", "kind": "overseas", "country": "DE",
                          "city": "Duisburg"})[0],
        ]
        if maker.default_warehouse_id != warehouses[0].pk:
            maker.default_warehouse = warehouses[0]
            maker.save(update_fields=["default_warehouse"])
        brands = [Brand.objects.update_or_create(slug=s, defaults={"manufacturer": maker, "name": n})[0]
                  for s, n in factory["brands"]]
        for brand in brands:
            for language, text in zip(demo_texts.MARKETS, demo_texts.BRAND_NAMES[brand.slug], strict=True):
                BrandTranslation.objects.update_or_create(brand=brand, language=language, defaults={"name": text})

        for line in factory["lines"]:
            for p_index, name in enumerate(line.names):
                brand = brands[p_index % len(brands)]
                slug = _slug(f"{brand.name} {name}")
                product, _ = Product.objects.update_or_create(
                    slug=slug,
                    defaults={
                        "manufacturer": maker, "brand": brand, "category": categories[line.category],
                        "name": f"{brand.name} {name}", "name_zh": f"{factory['name_zh'][:2]}{name}",
                        "description": f"{name} made in our Wenzhou factory. {line.upper.title()} upper.",
                        "upper_material": line.upper,
                        "lining_material": "leather" if line.upper == "leather" else "textile",
                        "outer_sole_material": line.sole, "covers_ankle": line.covers_ankle, "gender": line.gender,
                        "country_of_origin": "CN", "hs_code": line.hs_code, "cn_commodity_code": line.cn_code,
                        "legal_unit1": "025" if line.category != "cycling-jerseys" else "011",
                        "legal_unit2": "035",
                        # Made in Wenzhou from Chinese leather, soles and yarn: produced exclusively from
                        # originating materials (RCEP art. 3.2 criterion PE).
                        "rcep_origin_criterion": "PE", "rcep_origin_country": "CN",
                        "declaration_elements": (
                            f"0|0|{'包脚踝' if line.covers_ankle else '不包脚踝'}|{line.upper}|{line.sole}|"
                            f"{brand.name}|{slug}"
                        ),
                    },
                )
                brand_names = dict(zip(demo_texts.MARKETS, demo_texts.BRAND_NAMES[brand.slug], strict=True))
                ProductTranslation.objects.bulk_create(
                    [ProductTranslation(product=product, language=language, name=f"{brand_names[language]} {style}",
                                        description=demo_texts.product_description(language, line.kind, line.upper))
                     for language, style in demo_texts.style_names(name, line.kind).items()],
                    update_conflicts=True, unique_fields=["product", "language"],
                    update_fields=["name", "description"])
                ProductImage.objects.update_or_create(
                    product=product, position=0,
                    defaults={"url": f"https://images.livedock.example/{slug}/main.jpg", "alt_text": product.name},
                )
                counts["products"] += 1
                base = Decimal(rng.randint(*line.price_range))
                for colour in line.colours:
                    for size in line.sizes:
                        sku = f"{factory['slug'][:3].upper()}-{slug[:24].upper()}-{colour[:3].upper()}-{size}"
                        variant, _ = Variant.objects.update_or_create(
                            sku=sku,
                            defaults={
                                "product": product, "size_system": "EU" if size.isdigit() else "APPAREL",
                                "size_label": size, "foot_length_mm": _foot_length_mm(size, line.gender),
                                "width_class": ("E" if line.gender == "women" else "2E") if size.isdigit() else "",
                                "colour": colour, "gtin": _gtin_for(sku),
                                "net_weight_kg": Decimal(line.weight_kg[0]),
                                "gross_weight_kg": Decimal(line.weight_kg[1]),
                            },
                        )
                        Price.objects.update_or_create(variant=variant, currency=maker.pricing_currency,
                                                       defaults={"amount": base})
                        for w_index, warehouse in enumerate(warehouses):
                            on_hand = rng.randint(0, 40) if w_index == 0 else rng.randint(0, 8)
                            level, created = StockLevel.objects.get_or_create(
                                variant=variant, warehouse=warehouse, defaults={"on_hand": on_hand})
                        counts["variants"] += 1

    services.product_listing_refresh()
    user_model = get_user_model()
    operator = user_model.objects.filter(username="operator").first()
    if operator is None:
        user_model.objects.create_superuser("operator", "operator@livedock.example", DEMO_PASSWORD)
    for factory in FACTORIES:
        username = factory["slug"].split("-")[0]
        if not ManufacturerMembership.objects.filter(user__username=username).exists():
            services.manufacturer_staff_create(
                manufacturer=Manufacturer.objects.get(slug=factory["slug"]), username=username,
                email=f"{username}@{factory['slug']}.example.com", password=DEMO_PASSWORD,
                role=ManufacturerMembership.Role.OWNER,
            )
    return counts
