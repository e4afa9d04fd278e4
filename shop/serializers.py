from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.pagination import PageQuerySerializer

from .languages import LANGUAGES, language_code
from .models import CatalogTerm, Material, SizeSystem, WidthClass
from .money import quantize
from .search import SUGGESTIONS
from .selectors import ORDERINGS

TERM = CatalogTerm.Kind


class LanguageField(serializers.ChoiceField):
    """A catalog language asked for by code; a regional tag names its language (`de-CH` is German). Anything
    else is refused, never quietly answered in another language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", (
            "Language of the texts: one of the catalog's languages (a regional tag such as de-CH or zh-Hans "
            "counts as its language). Without it: my stored language when I am signed in, else the best match "
            "of Accept-Language, else English. The answer's Content-Language header says which was used."))
        super().__init__(choices=list(LANGUAGES), required=False, **kwargs)

    def to_internal_value(self, data):
        code = language_code(data) if isinstance(data, str) else None
        if code is None:
            self.fail("invalid_choice", input=data)
        return code


def _language_field():
    return serializers.CharField(source="texts.language", help_text=(
        "The language this item's name is actually in."))


def _fallback_field():
    return serializers.BooleanField(source="texts.fallback", help_text=(
        "True when a text was missing in the language asked for and the English one is shown instead."))


class MoneySerializer(serializers.Serializer):
    amount = serializers.RegexField(r"^\d+(\.\d{1,3})?$", help_text="Decimal string in the currency's minor unit.")
    currency = serializers.CharField()

    def to_representation(self, instance):
        amount, currency = instance
        # Exactly the currency's minor unit: "129.00" USD, "15000" JPY.
        return {"amount": str(quantize(Decimal(amount), currency)), "currency": currency}


class CatalogQuerySerializer(serializers.Serializer):
    currency = serializers.CharField(required=False, max_length=3, help_text=(
        "ISO 4217 code to price in; one of the supported currencies. Defaults to "
        f"{settings.LIVEDOCK_DEFAULT_CURRENCY}."))
    lang = LanguageField()


class CategoryListQuerySerializer(serializers.Serializer):
    lang = LanguageField()


class ProductListQuerySerializer(CatalogQuerySerializer, PageQuerySerializer):
    category = serializers.SlugField(required=False, help_text="Category slug; includes its subcategories.")
    brand = serializers.SlugField(required=False)
    manufacturer = serializers.SlugField(required=False)
    price_min = serializers.DecimalField(required=False, max_digits=14, decimal_places=3, min_value=Decimal(0),
                                         help_text="Lowest variant price, in the requested currency.")
    price_max = serializers.DecimalField(required=False, max_digits=14, decimal_places=3, min_value=Decimal(0))
    size = serializers.CharField(required=False, max_length=20, help_text="Size label, e.g. 42 or M.")
    in_stock = serializers.BooleanField(required=False, allow_null=True, default=None)
    search = serializers.CharField(required=False, max_length=100, help_text=(
        "Words to find, in the buyer's language or English; a misspelt word also matches the catalog's "
        "nearest words. Results are ranked by relevance unless another ordering is asked for."))
    ordering = serializers.ChoiceField(choices=list(ORDERINGS), required=False, help_text=(
        "Defaults to relevance with `search`, newest without (relevance without `search` is newest)."))
    size_system = serializers.ChoiceField(choices=SizeSystem.values, required=False, help_text=(
        "Size system the size facet counts in (default EU); with `size`, the size is matched as shown in it."))
    width = serializers.ChoiceField(choices=WidthClass.values, required=False, help_text="JIS width class.")
    colour = serializers.CharField(required=False, max_length=60, help_text="A colour value from the facet.")
    material = serializers.ChoiceField(choices=Material.values, required=False, help_text="Upper material.")
    price_band = serializers.CharField(required=False, max_length=30, help_text=(
        "A price band key from the facet, e.g. 50-100 or 400- (in the requested currency)."))
    on_live_deal = serializers.BooleanField(required=False, allow_null=True, default=None,
                                            help_text="Only products on (or not on) a flash deal running now.")
    facets = serializers.BooleanField(required=False, default=False,
                                      help_text="Add counts per facet over the whole result (`facets`).")

    def validate(self, attrs):
        low, high = attrs.get("price_min"), attrs.get("price_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"price_max": ["Must not be below price_min."]})
        if not attrs.get("ordering"):
            attrs["ordering"] = "relevance" if (attrs.get("search") or "").strip() else "newest"
        return attrs


class _BrandOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(source="texts.name")


class _CategoryRefOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(source="texts.name")
    path = serializers.CharField()


class _ManufacturerRefOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField()


class ProductImageOutputSerializer(serializers.Serializer):
    url = serializers.URLField()
    alt_text = serializers.CharField()


class ProductListOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(source="texts.name")
    language = _language_field()
    fallback = _fallback_field()
    brand = _BrandOutputSerializer()
    category = _CategoryRefOutputSerializer()
    manufacturer = _ManufacturerRefOutputSerializer()
    gender = serializers.CharField()
    covers_ankle = serializers.BooleanField()
    from_price = serializers.SerializerMethodField()
    in_stock = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()

    def get_in_stock(self, product) -> bool:
        return product.pk in self.context["in_stock"]

    @extend_schema_field(MoneySerializer)
    def get_from_price(self, product):
        return MoneySerializer((product.from_price, self.context["currency"])).data

    @extend_schema_field(ProductImageOutputSerializer(allow_null=True))
    def get_image(self, product):
        if hasattr(product, "first_image_url"):  # read with the list (shop.selectors._listed_products)
            if product.first_image_url is None:
                return None
            return {"url": product.first_image_url, "alt_text": product.first_image_alt}
        images = list(product.images.all())
        return ProductImageOutputSerializer(images[0]).data if images else None


class VariantOutputSerializer(serializers.Serializer):
    sku = serializers.CharField()
    size_system = serializers.CharField()
    size_label = serializers.CharField()
    foot_length_mm = serializers.IntegerField(allow_null=True)
    width_class = serializers.CharField()
    colour = serializers.CharField()
    colour_name = serializers.SerializerMethodField(help_text="The colour in the answer's language.")
    width_class_name = serializers.SerializerMethodField(help_text="The width class in the answer's language.")
    gtin = serializers.CharField()
    price = serializers.SerializerMethodField()
    available = serializers.IntegerField(help_text="Units that can be ordered now, over all warehouses.")
    in_stock = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_price(self, variant):
        if variant.price is None:
            return None
        return MoneySerializer((variant.price, self.context["currency"])).data

    def get_in_stock(self, variant) -> bool:
        return variant.available > 0 and variant.price is not None

    def get_colour_name(self, variant) -> str:
        return self.context["terms"].text(TERM.COLOUR, variant.colour)

    def get_width_class_name(self, variant) -> str:
        return self.context["terms"].text(TERM.WIDTH, variant.width_class)


class ProductDetailOutputSerializer(ProductListOutputSerializer):
    name_zh = serializers.CharField(help_text="The factory's Chinese name, whatever the answer's language.")
    description = serializers.CharField(source="texts.description")
    gender_name = serializers.SerializerMethodField(help_text="`gender` in the answer's language.")
    upper_material = serializers.CharField(help_text="Material code (customs).")
    upper_material_name = serializers.SerializerMethodField(help_text="The material in the answer's language.")
    lining_material = serializers.CharField()
    lining_material_name = serializers.SerializerMethodField()
    outer_sole_material = serializers.CharField()
    outer_sole_material_name = serializers.SerializerMethodField()
    country_of_origin = serializers.CharField()
    hs_code = serializers.CharField()
    images = ProductImageOutputSerializer(many=True)
    variants = VariantOutputSerializer(many=True, source="active_variants")
    from_price = serializers.SerializerMethodField()
    in_stock = serializers.SerializerMethodField()

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_from_price(self, product):
        prices = [v.price for v in product.active_variants if v.price is not None]
        return MoneySerializer((min(prices), self.context["currency"])).data if prices else None

    def get_in_stock(self, product) -> bool:
        return any(v.available > 0 and v.price is not None for v in product.active_variants)

    def _term(self, kind: str, key: str) -> str:
        return self.context["terms"].text(kind, key)

    def get_gender_name(self, product) -> str:
        return self._term(TERM.GENDER, product.gender)

    def get_upper_material_name(self, product) -> str:
        return self._term(TERM.MATERIAL, product.upper_material)

    def get_lining_material_name(self, product) -> str:
        return self._term(TERM.MATERIAL, product.lining_material)

    def get_outer_sole_material_name(self, product) -> str:
        return self._term(TERM.MATERIAL, product.outer_sole_material)


class CategoryOutputSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(source="texts.name")
    language = _language_field()
    fallback = _fallback_field()
    path = serializers.CharField()
    parent = serializers.CharField(source="parent.slug", allow_null=True, default=None)


class CurrencyOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    exponent = serializers.IntegerField()
    rate_from_default = serializers.DecimalField(max_digits=30, decimal_places=10, allow_null=True)
    as_of = serializers.DateField(allow_null=True)
    source = serializers.CharField()


class FacetBucketOutputSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="What to pass as the facet's query parameter to filter by it.")
    label = serializers.CharField(help_text="In the buyer's language where the catalog has it.")
    count = serializers.IntegerField()
    selected = serializers.BooleanField(help_text="The list is filtered by this value.")


class FacetsOutputSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Products in the whole result (every page).")
    size_system = serializers.CharField()
    currency = serializers.CharField()
    category = FacetBucketOutputSerializer(many=True, help_text="One per product: counts add up to total.")
    size = FacetBucketOutputSerializer(many=True, help_text=(
        "Sizes in `size_system`; a product counts once under each size it has."))
    width = FacetBucketOutputSerializer(many=True, help_text="A product counts once under each width it has.")
    colour = FacetBucketOutputSerializer(many=True, help_text="A product counts once under each colour it has.")
    material = FacetBucketOutputSerializer(many=True, help_text="Upper material; counts add up to total.")
    price_band = FacetBucketOutputSerializer(many=True, help_text="By from-price; counts add up to total.")
    in_stock = FacetBucketOutputSerializer(many=True, help_text='Values "true" and "false"; add up to total.')
    on_live_deal = FacetBucketOutputSerializer(many=True, help_text='Values "true" and "false"; add up to total.')


class ProductListPageOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ProductListOutputSerializer(many=True)
    facets = FacetsOutputSerializer(required=False, help_text="Only with facets=true.")


class SearchSuggestionsQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=50, help_text="What the buyer has typed so far.")
    lang = LanguageField()


class SearchSuggestionOutputSerializer(serializers.Serializer):
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=["category", "brand", "product", "word"], help_text=(
        f"Categories, then brands, product names and words of the catalog; at most {SUGGESTIONS} in all."))
    slug = serializers.CharField(allow_null=True, help_text="The category's, brand's or product's slug.")
