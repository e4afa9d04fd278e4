"""The demo catalog's texts in the buyers' languages (shop/demo.py loads them).

Languages in order: de, fr, es, it, ja, ko. Shoe styles are translated as shops in each market name them
(plural where a market sells shoes as a pair: "Chelsea-Boots", "bottines Chelsea"); sneaker and jersey model
names ("Knit Runner", "Climber") are names, kept as they are, with the market's word for the kind of product.
"""

from __future__ import annotations

MARKETS = ("de", "fr", "es", "it", "ja", "ko")

CATEGORY_NAMES: dict[str, tuple[str, ...]] = {  # de, fr, es, it, ja, ko, zh
    "footwear": ("Schuhe", "Chaussures", "Calzado", "Calzature", "シューズ", "신발", "鞋类"),
    "boots": ("Stiefel", "Bottes", "Botas", "Stivali", "ブーツ", "부츠", "靴子"),
    "leather-boots": ("Lederstiefel", "Bottes en cuir", "Botas de piel", "Stivali in pelle", "レザーブーツ",
                      "가죽 부츠", "皮靴"),
    "loafers": ("Loafer", "Mocassins", "Mocasines", "Mocassini", "ローファー", "로퍼", "乐福鞋"),
    "sneakers": ("Sneaker", "Baskets", "Zapatillas", "Sneakers", "スニーカー", "스니커즈", "运动鞋"),
    "apparel": ("Bekleidung", "Vêtements", "Ropa", "Abbigliamento", "アパレル", "의류", "服装"),
    "cycling-jerseys": ("Radtrikots", "Maillots de cyclisme", "Maillots de ciclismo", "Maglie da ciclismo",
                        "サイクルジャージ", "사이클 저지", "骑行服"),
}

# Brand names stay as they are in the Latin-script markets; Japan and Korea read them in their own script.
BRAND_NAMES: dict[str, tuple[str, ...]] = {
    "ouhai-heritage": ("Ouhai Heritage",) * 4 + ("オウハイ・ヘリテージ", "오우하이 헤리티지"),
    "ridgeline": ("Ridgeline",) * 4 + ("リッジライン", "리지라인"),
    "stride-lab": ("Stride Lab",) * 4 + ("ストライドラボ", "스트라이드 랩"),
    "velo-east": ("Velo East",) * 4 + ("ヴェロイースト", "벨로 이스트"),
}

STYLE_NAMES: dict[str, tuple[str, ...]] = {
    # Men's boots
    "Chelsea Boot": ("Chelsea-Boots", "Bottines Chelsea", "Botas Chelsea", "Stivaletti Chelsea",
                     "チェルシーブーツ", "첼시 부츠"),
    "Chukka Boot": ("Chukka-Boots", "Bottines chukka", "Botas chukka", "Polacchini chukka", "チャッカブーツ",
                    "처카 부츠"),
    "Work Boot": ("Arbeitsstiefel", "Bottes de travail", "Botas de trabajo", "Stivali da lavoro", "ワークブーツ",
                  "워크 부츠"),
    "Lace-up Ankle Boot": ("Schnürstiefeletten", "Bottines à lacets", "Botines con cordones",
                           "Stivaletti stringati", "レースアップアンクルブーツ", "레이스업 앵클 부츠"),
    "Side-zip Boot": ("Stiefel mit Seitenreißverschluss", "Bottines zippées", "Botas con cremallera lateral",
                      "Stivaletti con zip laterale", "サイドジップブーツ", "사이드 지퍼 부츠"),
    "Moc-toe Boot": ("Mokassin-Stiefel", "Bottes à bout mocassin", "Botas con puntera mocasín",
                     "Stivali con punta a mocassino", "モックトゥブーツ", "목토 부츠"),
    "Engineer Boot": ("Engineer-Stiefel", "Bottes engineer", "Botas engineer", "Stivali engineer",
                      "エンジニアブーツ", "엔지니어 부츠"),
    "Desert Boot": ("Desert Boots", "Bottines desert", "Botines desert", "Polacchini desert", "デザートブーツ",
                    "데저트 부츠"),
    "Brogue Boot": ("Brogue-Stiefel", "Bottines richelieu", "Botas brogue", "Stivaletti brogue", "ブローグブーツ",
                    "브로그 부츠"),
    "Hiker Boot": ("Wanderstiefel", "Bottes de randonnée", "Botas de montaña", "Scarponcini da trekking",
                   "ハイカーブーツ", "하이커 부츠"),
    "Jodhpur Boot": ("Jodhpur-Stiefel", "Bottines jodhpur", "Botas jodhpur", "Stivaletti jodhpur",
                     "ジョッパーブーツ", "조드퍼 부츠"),
    "Cap-toe Boot": ("Stiefel mit Vorderkappe", "Bottines à bout droit", "Botas con puntera",
                     "Stivaletti con puntale", "キャップトゥブーツ", "캡토 부츠"),
    # Men's loafers
    "Penny Loafer": ("Penny-Loafer", "Mocassins penny", "Mocasines penny", "Mocassini penny", "ペニーローファー",
                     "페니 로퍼"),
    "Tassel Loafer": ("Quasten-Loafer", "Mocassins à pampilles", "Mocasines con borlas", "Mocassini con nappine",
                      "タッセルローファー", "태슬 로퍼"),
    "Horsebit Loafer": ("Horsebit-Loafer", "Mocassins à mors", "Mocasines con bocado", "Mocassini con morsetto",
                        "ホースビットローファー", "홀스빗 로퍼"),
    "Driving Loafer": ("Driving-Mokassins", "Mocassins de conduite", "Mocasines de conducción",
                       "Mocassini da guida", "ドライビングローファー", "드라이빙 로퍼"),
    "Venetian Loafer": ("Venezianer-Loafer", "Mocassins vénitiens", "Mocasines venecianos", "Mocassini veneziani",
                        "ヴェネチアンローファー", "베네치안 로퍼"),
    "Bit Loafer": ("Loafer mit Trense", "Mocassins à boucle", "Mocasines con hebilla", "Mocassini con fibbia",
                   "ビットローファー", "빗 로퍼"),
    "Suede Loafer": ("Wildleder-Loafer", "Mocassins en daim", "Mocasines de ante", "Mocassini in camoscio",
                     "スエードローファー", "스웨이드 로퍼"),
    "Slip-on Loafer": ("Slip-on-Loafer", "Mocassins à enfiler", "Mocasines sin cordones", "Mocassini slip-on",
                       "スリッポンローファー", "슬립온 로퍼"),
    # Women's loafers
    "Ballet Loafer": ("Ballerina-Loafer", "Mocassins ballerines", "Mocasines bailarina", "Mocassini ballerina",
                      "バレエローファー", "발레 로퍼"),
    "Chain Loafer": ("Loafer mit Kette", "Mocassins à chaîne", "Mocasines con cadena", "Mocassini con catena",
                     "チェーンローファー", "체인 로퍼"),
    "Platform Loafer": ("Plateau-Loafer", "Mocassins à plateforme", "Mocasines con plataforma",
                        "Mocassini con plateau", "厚底ローファー", "플랫폼 로퍼"),
    "Soft Loafer": ("Weiche Loafer", "Mocassins souples", "Mocasines flexibles", "Mocassini morbidi",
                    "ソフトローファー", "소프트 로퍼"),
    # Women's boots
    "Heeled Ankle Boot": ("Stiefeletten mit Absatz", "Bottines à talon", "Botines de tacón", "Tronchetti con tacco",
                          "ヒールアンクルブーツ", "힐 앵클 부츠"),
    "Knee Boot": ("Kniehohe Stiefel", "Bottes hautes", "Botas altas", "Stivali al ginocchio", "ロングブーツ",
                  "롱부츠"),
    "Combat Boot": ("Combat-Boots", "Rangers", "Botas militares", "Anfibi", "コンバットブーツ", "컴뱃 부츠"),
    "Sock Boot": ("Sock-Boots", "Bottines chaussettes", "Botines calcetín", "Stivaletti a calza", "ソックスブーツ",
                  "삭스 부츠"),
    "Western Boot": ("Westernstiefel", "Santiags", "Botas camperas", "Stivali texani", "ウエスタンブーツ",
                     "웨스턴 부츠"),
    "Lug-sole Boot": ("Stiefel mit Profilsohle", "Bottines à semelle crantée", "Botas con suela dentada",
                      "Stivaletti con suola carrarmato", "ラグソールブーツ", "러그솔 부츠"),
    # Jerseys whose names say what they are
    "Thermal Jersey": ("Thermo-Radtrikot", "Maillot thermique", "Maillot térmico", "Maglia termica",
                       "サーマルサイクルジャージ", "보온 사이클 저지"),
    "Long-sleeve Jersey": ("Langarm-Radtrikot", "Maillot manches longues", "Maillot de manga larga",
                           "Maglia a maniche lunghe", "長袖サイクルジャージ", "긴팔 사이클 저지"),
    "Lightweight Jersey": ("Leichtes Radtrikot", "Maillot léger", "Maillot ligero", "Maglia leggera",
                           "軽量サイクルジャージ", "경량 사이클 저지"),
}

# A model name with the market's word for what it is: "{model}" is the name as it is ("Knit Runner").
MODEL_NAME_PATTERNS: dict[str, tuple[str, ...]] = {
    "sneaker": ("{model} Sneaker", "Baskets {model}", "Zapatillas {model}", "Sneakers {model}",
                "{model} スニーカー", "{model} 스니커즈"),
    "jersey": ("Radtrikot {model}", "Maillot {model}", "Maillot {model}", "Maglia {model}",
               "{model} サイクルジャージ", "{model} 사이클 저지"),
}

# "Made in our Wenzhou factory" and what the outside is made of: an upper for shoes, the fabric for jerseys.
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "shoe": ("Gefertigt in unserer Fabrik in Wenzhou. Obermaterial: {material}.",
             "Fabrication dans notre usine de Wenzhou. Tige : {material}.",
             "Fabricación en nuestra fábrica de Wenzhou. Empeine: {material}.",
             "Prodotto nella nostra fabbrica di Wenzhou. Tomaia: {material}.",
             "温州の自社工場で製造。アッパー：{material}。",
             "원저우 자사 공장에서 제조. 갑피: {material}."),
    "apparel": ("Gefertigt in unserer Fabrik in Wenzhou. Material: {material}.",
                "Fabrication dans notre usine de Wenzhou. Matière : {material}.",
                "Fabricación en nuestra fábrica de Wenzhou. Material: {material}.",
                "Prodotto nella nostra fabbrica di Wenzhou. Materiale: {material}.",
                "温州の自社工場で製造。素材：{material}。",
                "원저우 자사 공장에서 제조. 소재: {material}."),
}
# Languages that write a material in lower case in running text ("Tige : cuir").
LOWER_CASE_MATERIALS = frozenset({"fr", "es", "it"})

# Catalog terms: en, de, fr, es, it, ja, ko, zh.
TERM_LANGUAGES = ("en", "de", "fr", "es", "it", "ja", "ko", "zh")
MATERIALS: dict[str, tuple[str, ...]] = {
    "leather": ("Leather", "Leder", "Cuir", "Piel", "Pelle", "本革", "가죽", "皮革"),
    "composition_leather": ("Composition leather", "Lederfaserstoff", "Cuir reconstitué", "Cuero regenerado",
                            "Cuoio rigenerato", "再生皮革", "재생 가죽", "再生皮革"),
    "rubber_plastics": ("Rubber or plastics", "Gummi oder Kunststoff", "Caoutchouc ou plastique",
                        "Caucho o plástico", "Gomma o plastica", "ゴム・樹脂", "고무 또는 플라스틱", "橡胶或塑料"),
    "textile": ("Textile", "Textil", "Textile", "Textil", "Tessuto", "テキスタイル", "섬유", "纺织材料"),
    "synthetic": ("Synthetic", "Synthetik", "Synthétique", "Sintético", "Sintetico", "合成素材", "합성 소재",
                  "合成材料"),
    "other": ("Other", "Sonstiges", "Autre", "Otro", "Altro", "その他", "기타", "其他"),
}
COLOURS: dict[str, tuple[str, ...]] = {
    "Black": ("Black", "Schwarz", "Noir", "Negro", "Nero", "ブラック", "블랙", "黑色"),
    "Tan": ("Tan", "Hellbraun", "Fauve", "Marrón claro", "Cuoio", "タン", "탄", "棕褐色"),
    "Brown": ("Brown", "Braun", "Marron", "Marrón", "Marrone", "ブラウン", "브라운", "棕色"),
    "Cream": ("Cream", "Creme", "Crème", "Crema", "Panna", "クリーム", "크림", "米白色"),
    "Cognac": ("Cognac", "Cognac", "Cognac", "Coñac", "Cognac", "コニャック", "코냑", "干邑色"),
    "White": ("White", "Weiß", "Blanc", "Blanco", "Bianco", "ホワイト", "화이트", "白色"),
    "Grey": ("Grey", "Grau", "Gris", "Gris", "Grigio", "グレー", "그레이", "灰色"),
    "Navy": ("Navy", "Marineblau", "Bleu marine", "Azul marino", "Blu navy", "ネイビー", "네이비", "藏青色"),
    "Red": ("Red", "Rot", "Rouge", "Rojo", "Rosso", "レッド", "레드", "红色"),
    "Blue": ("Blue", "Blau", "Bleu", "Azul", "Blu", "ブルー", "블루", "蓝色"),
}
GENDERS: dict[str, tuple[str, ...]] = {
    "men": ("Men", "Herren", "Homme", "Hombre", "Uomo", "メンズ", "남성", "男款"),
    "women": ("Women", "Damen", "Femme", "Mujer", "Donna", "レディース", "여성", "女款"),
    "unisex": ("Unisex", "Unisex", "Unisexe", "Unisex", "Unisex", "ユニセックス", "남녀공용", "男女通用"),
    "boys": ("Boys", "Jungen", "Garçon", "Niño", "Bambino", "ボーイズ", "남아", "男童"),
    "girls": ("Girls", "Mädchen", "Fille", "Niña", "Bambina", "ガールズ", "여아", "女童"),
}


def style_names(style: str, kind: str) -> dict[str, str]:
    """A style's name in each market's language."""
    if style in STYLE_NAMES:
        return dict(zip(MARKETS, STYLE_NAMES[style], strict=True))
    model = style.removesuffix(" Jersey")
    return {language: pattern.format(model=model)
            for language, pattern in zip(MARKETS, MODEL_NAME_PATTERNS[kind], strict=True)}


def product_description(language: str, kind: str, material: str) -> str:
    term = MATERIALS[material][TERM_LANGUAGES.index(language)]
    if language in LOWER_CASE_MATERIALS:
        term = term.lower()
    template = DESCRIPTIONS["apparel" if kind == "jersey" else "shoe"][MARKETS.index(language)]
    return template.format(material=term)
