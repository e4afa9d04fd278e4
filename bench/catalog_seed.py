"""A large generated catalog for the search benchmark: N products (100,000 by default) in six footwear
categories, each with three sizes (colour and width vary), a USD price per variant, the browse listing in
every storefront currency, stock in a factory warehouse (about one variant in six sold out), and its name
and description translated into every storefront language. Names are "<model> <adjective> <type>" from
about 2,000 generated model words, 10 adjectives and 24 shoe types, so searches range from a few products
(a model word) to a few thousand (a type).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search .venv/bin/python bench/catalog_seed.py \
        [--products 100000]

The database is dropped and created again. Rows go in with COPY with triggers off (as a bulk load may), and
the search rows are then built by the same database function the triggers call, `shop_search_refresh`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, recreate_database  # noqa: E402

LANGUAGES = ("de", "fr", "es", "it", "ja", "ko", "zh")
RATES = {"EUR": "0.86", "JPY": "150", "CNY": "7.10", "GBP": "0.75", "KRW": "1400", "AUD": "1.50",
         "CAD": "1.40", "SGD": "1.30"}
EXPONENTS = {"USD": 2, "EUR": 2, "GBP": 2, "AUD": 2, "CAD": 2, "SGD": 2, "CNY": 2, "JPY": 0, "KRW": 0}

CATEGORIES = {  # slug: (English, translations in LANGUAGES order)
    "boots": ("Boots", ("Stiefel", "Bottes", "Botas", "Stivali", "ブーツ", "부츠", "靴子")),
    "sneakers": ("Sneakers", ("Turnschuhe", "Baskets", "Zapatillas", "Sneakers", "スニーカー", "스니커즈", "运动鞋")),
    "loafers": ("Loafers", ("Slipper", "Mocassins", "Mocasines", "Mocassini", "ローファー", "로퍼", "乐福鞋")),
    "sandals": ("Sandals", ("Sandalen", "Sandales", "Sandalias", "Sandali", "サンダル", "샌들", "凉鞋")),
    "formal": ("Formal shoes", ("Anzugschuhe", "Chaussures habillées", "Zapatos de vestir", "Scarpe eleganti",
                                "ドレスシューズ", "정장 구두", "正装鞋")),
    "slippers": ("Slippers", ("Hausschuhe", "Chaussons", "Zapatillas de casa", "Pantofole", "スリッパ", "슬리퍼",
                              "拖鞋")),
}
TYPES = {  # category: [(English, translations in LANGUAGES order)]
    "boots": [("Chelsea Boot", ("Chelsea-Stiefel", "Bottine Chelsea", "Bota Chelsea", "Stivaletto Chelsea",
                                "チェルシーブーツ", "첼시 부츠", "切尔西靴")),
              ("Combat Boot", ("Kampfstiefel", "Rangers", "Bota militar", "Anfibio", "コンバットブーツ", "컴뱃 부츠",
                               "军靴")),
              ("Hiking Boot", ("Wanderstiefel", "Chaussure de randonnée", "Bota de montaña", "Scarpone da trekking",
                               "登山靴", "등산화", "登山靴")),
              ("Desert Boot", ("Desert-Boot", "Desert boot", "Bota desert", "Polacchino", "デザートブーツ",
                               "데저트 부츠", "沙漠靴"))],
    "sneakers": [("Court Sneaker", ("Court-Sneaker", "Basket de court", "Zapatilla de pista", "Sneaker da campo",
                                    "コートスニーカー", "코트 스니커즈", "板鞋")),
                 ("Running Shoe", ("Laufschuh", "Chaussure de course", "Zapatilla de running", "Scarpa da corsa",
                                   "ランニングシューズ", "러닝화", "跑步鞋")),
                 ("Trail Runner", ("Trailschuh", "Chaussure de trail", "Zapatilla de trail", "Scarpa da trail",
                                   "トレイルランナー", "트레일 러너", "越野跑鞋")),
                 ("Skate Shoe", ("Skateschuh", "Chaussure de skate", "Zapatilla de skate", "Scarpa da skate",
                                 "スケートシューズ", "스케이트화", "滑板鞋"))],
    "loafers": [("Penny Loafer", ("Penny-Loafer", "Mocassin penny", "Mocasín penny", "Mocassino penny",
                                  "ペニーローファー", "페니 로퍼", "便士乐福鞋")),
                ("Tassel Loafer", ("Quasten-Loafer", "Mocassin à pompons", "Mocasín de borlas", "Mocassino con nappine",
                                   "タッセルローファー", "태슬 로퍼", "流苏乐福鞋")),
                ("Driving Moccasin", ("Autofahrer-Mokassin", "Mocassin de conduite", "Mocasín de conducir",
                                      "Mocassino da guida", "ドライビングモカシン", "드라이빙 모카신", "豆豆鞋")),
                ("Boat Shoe", ("Bootsschuh", "Chaussure bateau", "Náutico", "Scarpa da barca", "デッキシューズ",
                               "보트 슈즈", "船鞋"))],
    "sandals": [("Slide Sandal", ("Badelatsche", "Claquette", "Chancla", "Ciabatta", "スライドサンダル",
                                  "슬라이드 샌들", "拖鞋凉鞋")),
                ("Strap Sandal", ("Riemchensandale", "Sandale à brides", "Sandalia de tiras", "Sandalo a listini",
                                  "ストラップサンダル", "스트랩 샌들", "绑带凉鞋")),
                ("Trekking Sandal", ("Trekkingsandale", "Sandale de randonnée", "Sandalia de trekking",
                                     "Sandalo da trekking", "トレッキングサンダル", "트레킹 샌들", "徒步凉鞋")),
                ("Espadrille", ("Espadrille", "Espadrille", "Alpargata", "Espadrillas", "エスパドリーユ",
                                "에스파드리유", "草编鞋"))],
    "formal": [("Oxford Shoe", ("Oxford-Schuh", "Richelieu", "Zapato Oxford", "Scarpa Oxford",
                                "オックスフォードシューズ", "옥스포드 슈즈", "牛津鞋")),
               ("Derby Shoe", ("Derby-Schuh", "Derby", "Zapato Derby", "Scarpa Derby", "ダービーシューズ", "더비 슈즈",
                               "德比鞋")),
               ("Brogue", ("Budapester", "Chaussure brogue", "Zapato brogue", "Scarpa brogue", "ブローグ", "브로그",
                           "布洛克鞋")),
               ("Monk Strap", ("Monkstrap", "Chaussure à boucle", "Zapato de hebilla", "Scarpa monk",
                               "モンクストラップ", "몽크 스트랩", "孟克鞋"))],
    "slippers": [("House Slipper", ("Hausschuh", "Chausson", "Zapatilla de casa", "Pantofola", "ルームシューズ",
                                    "실내화", "室内拖鞋")),
                 ("Felt Slipper", ("Filzpantoffel", "Chausson en feutre", "Zapatilla de fieltro", "Pantofola di feltro",
                                   "フェルトスリッパ", "펠트 슬리퍼", "毛毡拖鞋")),
                 ("Mule", ("Pantolette", "Mule", "Mule", "Mule", "ミュール", "뮬", "穆勒鞋")),
                 ("Moccasin Slipper", ("Mokassin-Hausschuh", "Chausson mocassin", "Zapatilla mocasín",
                                       "Pantofola mocassino", "モカシンスリッパ", "모카신 슬리퍼", "莫卡辛拖鞋"))],
}
ADJECTIVES = [
    ("Leather", ("Leder", "en cuir", "de cuero", "in pelle", "レザー", "가죽", "皮革")),
    ("Suede", ("Wildleder", "en daim", "de ante", "scamosciato", "スエード", "스웨이드", "麂皮")),
    ("Waterproof", ("Wasserdichter", "imperméable", "impermeable", "impermeabile", "防水", "방수", "防水")),
    ("Lightweight", ("Leichter", "léger", "ligero", "leggero", "軽量", "경량", "轻便")),
    ("Classic", ("Klassischer", "classique", "clásico", "classico", "クラシック", "클래식", "经典")),
    ("Vintage", ("Vintage", "vintage", "vintage", "vintage", "ヴィンテージ", "빈티지", "复古")),
    ("Padded", ("Gepolsterter", "rembourré", "acolchado", "imbottito", "パッド入り", "패딩", "加垫")),
    ("Breathable", ("Atmungsaktiver", "respirant", "transpirable", "traspirante", "通気性", "통기성", "透气")),
    ("Handmade", ("Handgefertigter", "fait main", "hecho a mano", "fatto a mano", "ハンドメイド", "수제", "手工")),
    ("Insulated", ("Gefütterter", "isolé", "aislado", "isolato", "防寒", "보온", "保暖")),
]
COLOURS = {"black": ("Schwarz", "Noir", "Negro", "Nero", "ブラック", "블랙", "黑色"),
           "brown": ("Braun", "Marron", "Marrón", "Marrone", "ブラウン", "브라운", "棕色"),
           "tan": ("Hellbraun", "Fauve", "Canela", "Cuoio", "タン", "탠", "棕褐色"),
           "navy": ("Marineblau", "Bleu marine", "Azul marino", "Blu navy", "ネイビー", "네이비", "藏青色"),
           "white": ("Weiß", "Blanc", "Blanco", "Bianco", "ホワイト", "화이트", "白色"),
           "grey": ("Grau", "Gris", "Gris", "Grigio", "グレー", "그레이", "灰色"),
           "olive": ("Oliv", "Olive", "Oliva", "Oliva", "オリーブ", "올리브", "橄榄色"),
           "red": ("Rot", "Rouge", "Rojo", "Rosso", "レッド", "레드", "红色")}
MATERIALS = {"leather": ("Leder", "Cuir", "Cuero", "Pelle", "革", "가죽", "皮革"),
             "textile": ("Textil", "Textile", "Textil", "Tessuto", "テキスタイル", "직물", "织物"),
             "synthetic": ("Synthetik", "Synthétique", "Sintético", "Sintetico", "合成素材", "합성", "合成材料"),
             "rubber_plastics": ("Gummi", "Caoutchouc", "Caucho", "Gomma", "ゴム", "고무", "橡胶")}
DESCRIPTIONS = {  # (English, translations) around the type name
    "en": "A {type} made in Wenzhou with a cushioned insole and a rubber outsole.",
    "de": "Ein {type} aus Wenzhou mit gepolsterter Innensohle und Gummilaufsohle.",
    "fr": "Un modèle {type} fabriqué à Wenzhou, semelle intérieure amortie et semelle en caoutchouc.",
    "es": "Un {type} fabricado en Wenzhou con plantilla acolchada y suela de goma.",
    "it": "Un {type} prodotto a Wenzhou con soletta imbottita e suola in gomma.",
    "ja": "温州製の{type}。クッション入りインソールとラバーソール。",
    "ko": "원저우에서 만든 {type}. 쿠션 인솔과 고무 밑창.",
    "zh": "温州制造的{type}，带缓震鞋垫和橡胶大底。",
}
SYLLABLES = ["ka", "lo", "mi", "ra", "ven", "dor", "tis", "bel", "an", "mar", "sol", "ri", "ton", "el", "va",
             "ber", "gan", "no", "sa", "lu"]


def model_words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize())
    return sorted(words)


def money(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-EXPONENTS[currency]), rounding=ROUND_HALF_UP)


def seed(products: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from shop import services
    from shop.models import Brand, Category, Manufacturer, Warehouse
    from shop.validators import gtin_check_digit, uscc_check_character

    call_command("migrate", "--noinput", "-v", "0")
    rng = random.Random(11)
    started = time.monotonic()
    with connection.cursor() as cursor:
        for quote, rate in RATES.items():
            cursor.execute("INSERT INTO shop_fxrate (base, quote, rate, as_of, source, loaded_at) "
                           "VALUES ('USD', %s, %s, %s, 'bench', now())", [quote, rate, dt.date(2026, 11, 20)])
    footwear = services.category_save(category=Category(name="Footwear", slug="footwear"))
    categories = {slug: services.category_save(category=Category(name=name, slug=slug, parent=footwear))
                  for slug, (name, _t) in CATEGORIES.items()}
    makers, brands = [], []
    for i in range(20):
        body = f"913303000000{i:05d}"
        maker = Manufacturer.objects.create(name=f"Bench Factory {i}", slug=f"bench-{i}",
                                            customs_code=body + uscc_check_character(body), pricing_currency="USD")
        maker.default_warehouse = Warehouse.objects.create(manufacturer=maker, code=f"wz-{i}", name="Wenzhou",
                                                           country="CN")
        maker.save(update_fields=["default_warehouse"])
        makers.append(maker)
        brands += [Brand.objects.create(manufacturer=maker, name=f"{rng.choice(SYLLABLES).capitalize()}"
                                        f"{rng.choice(SYLLABLES)} {j}", slug=f"brand-{i}-{j}") for j in range(5)]
    models_ = model_words(rng, 2000)

    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no triggers while bulk loading
        for slug, (_name, names) in CATEGORIES.items():
            for language, text in zip(LANGUAGES, names, strict=True):
                cursor.execute("INSERT INTO shop_categorytranslation (category_id, language, name) VALUES (%s, %s, %s)",
                               [categories[slug].pk, language, text])
        for kind, table in (("colour", COLOURS), ("material", MATERIALS)):
            for key, texts in table.items():
                for language, text in zip(LANGUAGES, texts, strict=True):
                    cursor.execute("INSERT INTO shop_catalogterm (kind, key, language, text) VALUES (%s, %s, %s, %s)",
                                   [kind, key, language, text])
        now = dt.datetime.now(dt.UTC)
        cat_slugs = list(CATEGORIES)
        rows_product, rows_translation, rows_variant, rows_price, rows_stock, rows_listing = [], [], [], [], [], []
        variant_id = 0
        colours = list(COLOURS)
        for pid in range(1, products + 1):
            slug = cat_slugs[pid % len(cat_slugs)]
            type_en, type_tr = rng.choice(TYPES[slug])
            adjective_en, adjective_tr = rng.choice(ADJECTIVES)
            model = rng.choice(models_)
            brand = brands[pid % len(brands)]
            material = rng.choice(list(MATERIALS))
            name = f"{model} {adjective_en} {type_en}"
            rows_product.append((pid, brand.manufacturer_id, brand.pk, categories[slug].pk, name, "", f"p-{pid}",
                                 DESCRIPTIONS["en"].format(type=type_en.lower()), material, "", "rubber_plastics",
                                 slug == "boots", rng.choice(("men", "women", "unisex")), "CN", "640399",
                                 "6403990090", "", "025", "035", "", "", True, now - dt.timedelta(minutes=pid), now))
            for language, adjective, kind in zip(LANGUAGES, adjective_tr, type_tr, strict=True):
                text = (f"{model} {adjective} {kind}" if language in ("de", "ja", "ko", "zh")
                        else f"{model} {kind} {adjective}")
                rows_translation.append((pid, language, text, DESCRIPTIONS[language].format(type=kind), now))
            base = rng.choice((39, 40, 41, 42))
            price = Decimal(rng.randint(25, 450))
            cheapest = None
            for step in range(3):
                variant_id += 1
                amount = price + step * 5
                cheapest = amount if cheapest is None else min(cheapest, amount)
                gtin_body = f"69{variant_id:010d}"
                rows_variant.append((variant_id, pid, f"SKU-{pid}-{step}", "EU", str(base + step), None,
                                     rng.choice(("D", "E", "2E", "3E")), rng.choice(colours),
                                     gtin_body + gtin_check_digit(gtin_body), Decimal("0.800"), Decimal("1.100"), True))
                rows_price.append((variant_id, "USD", amount, now))
                on_hand = 0 if rng.random() < 0.17 else rng.randint(1, 60)
                rows_stock.append((variant_id, brand.manufacturer.default_warehouse_id, on_hand, 0, now))
            for currency, rate in (("USD", "1"), *RATES.items()):
                rows_listing.append((pid, currency, money(cheapest * Decimal(rate), currency), now))

        def copy(table: str, columns: str, rows: list[tuple]) -> None:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copier:
                for row in rows:
                    copier.write_row(row)

        copy("shop_product", "id, manufacturer_id, brand_id, category_id, name, name_zh, slug, description, "
             "upper_material, lining_material, outer_sole_material, covers_ankle, gender, country_of_origin, hs_code, "
             "cn_commodity_code, declaration_elements, legal_unit1, legal_unit2, rcep_origin_criterion, "
             "rcep_origin_country, is_active, created_at, updated_at", rows_product)
        copy("shop_producttranslation", "product_id, language, name, description, updated_at", rows_translation)
        copy("shop_variant", "id, product_id, sku, size_system, size_label, foot_length_mm, width_class, colour, gtin, "
             "net_weight_kg, gross_weight_kg, is_active", rows_variant)
        copy("shop_price", "variant_id, currency, amount, updated_at", rows_price)
        copy("shop_stocklevel", "variant_id, warehouse_id, on_hand, reserved, updated_at", rows_stock)
        copy("shop_productlisting", "product_id, currency, from_price, refreshed_at", rows_listing)
        for table in ("shop_product", "shop_variant"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
        cursor.execute("SET session_replication_role = origin")
        print(f"  rows copied in {time.monotonic() - started:.0f} s; building search rows ...", flush=True)
    build_search_rows(os.environ["DATABASE_URL"], products)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Seeded {products:,} products in {time.monotonic() - started:.0f} s.", flush=True)


def build_search_rows(url: str, products: int, workers: int = 2, chunk: int = 2000) -> None:
    """The search rows, built by the database function the triggers call, a chunk of products at a time on
    `workers` connections."""
    import psycopg

    chunks = [(first, min(first + chunk - 1, products)) for first in range(1, products + 1, chunk)]

    def build(part: list[tuple[int, int]]) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            for first, last in part:
                conn.execute("SELECT shop_search_refresh(ARRAY(SELECT generate_series(%s::bigint, %s::bigint)))",
                             [first, last])

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(build, [chunks[i::workers] for i in range(workers)]))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_search")
    recreate_database(url)
    django_setup(url)
    seed(args.products)
    return 0


if __name__ == "__main__":
    sys.exit(main())
