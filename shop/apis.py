"""Storefront catalog API: anonymous and read-only."""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as accounts_selectors
from config.api import validated_query
from config.errors import InvalidInput
from config.pagination import LanguagePagePagination
from config.schema import error_response

from . import selectors, translations
from .errors import FxRateUnavailable
from .languages import language_negotiate
from .money import currency_exponent
from .serializers import (
    CatalogQuerySerializer,
    CategoryListQuerySerializer,
    CategoryOutputSerializer,
    CurrencyOutputSerializer,
    ProductDetailOutputSerializer,
    ProductListOutputSerializer,
    ProductListQuerySerializer,
)


def answer_language(request: Request, requested: str | None) -> str:
    """The language of a catalog answer: `lang`, then the signed-in buyer's stored language, then the
    Accept-Language header (the stored language is read only when no `lang` was given)."""
    preferred = None
    if not requested:
        preferences = accounts_selectors.buyer_preferences(user=request.user)
        preferred = preferences.language if preferences is not None else None
    return language_negotiate(requested=requested, preferred=preferred,
                              accept_language=request.headers.get("Accept-Language"))


def in_language(response: Response, language: str) -> Response:
    """Names the answer's language, and tells caches that the answer depends on the buyer's languages."""
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    return response


CONTENT_LANGUAGE = ("Texts are in the language asked for with `lang`, else my stored language (when signed in), "
                    "else the best match of Accept-Language, else English; the Content-Language header names it. "
                    "Each item's `language` and `fallback` say where a text was missing and English is shown.")
INVALID_QUERY = error_response("A query parameter is unknown or its value is not valid, e.g. a `lang` that is not "
                               "one of the catalog's languages (`invalid`, naming the parameter in `fields`), or "
                               "a currency we do not price in (`unsupported_currency`, `fx_rate_unavailable`).")


class ProductListApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = ProductListOutputSerializer
    pagination_class = LanguagePagePagination

    @extend_schema(parameters=[ProductListQuerySerializer],
                   responses={200: ProductListOutputSerializer(many=True), 400: INVALID_QUERY},
                   summary="List products", description=CONTENT_LANGUAGE, tags=["catalog"])
    def get(self, request: Request) -> Response:
        query = validated_query(request, ProductListQuerySerializer)
        language = answer_language(request, query.get("lang"))
        currency = selectors.currency_validate(query.get("currency"))
        category = None
        if query.get("category"):
            category = selectors.category_get_by_slug(slug=query["category"])
            if category is None:
                raise InvalidInput("Unknown category.", fields={"category": [f"No category {query['category']!r}."]})
        for name, exists in (("brand", selectors.brand_exists), ("manufacturer", selectors.manufacturer_exists)):
            if query.get(name) and not exists(slug=query[name]):
                raise InvalidInput(f"Unknown {name}.", fields={name: [f"No {name} {query[name]!r}."]})
        filters = selectors.ProductFilters(
            category=category,
            brand_slug=query.get("brand"),
            manufacturer_slug=query.get("manufacturer"),
            price_min=query.get("price_min"),
            price_max=query.get("price_max"),
            size=query.get("size"),
            in_stock=query.get("in_stock"),
            search=query.get("search"),
            ordering=query["ordering"],
        )
        products = selectors.product_list(filters=filters, currency=currency)
        page = self.paginate_queryset(products)
        in_stock = selectors.products_in_stock(product_ids=[p.pk for p in page])
        translations.product_texts_attach(products=page, language=language)
        data = ProductListOutputSerializer(page, many=True,
                                           context={"currency": currency, "in_stock": in_stock}).data
        self.paginator.language = language
        return in_language(self.get_paginated_response(data), language)


class ProductDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[CatalogQuerySerializer],
                   responses={200: ProductDetailOutputSerializer, 400: INVALID_QUERY,
                              404: error_response("No such active product.")},
                   summary="Product detail with variants, prices and availability", description=CONTENT_LANGUAGE,
                   tags=["catalog"])
    def get(self, request: Request, slug: str) -> Response:
        query = validated_query(request, CatalogQuerySerializer)
        language = answer_language(request, query.get("lang"))
        currency = selectors.currency_validate(query.get("currency"))
        product = selectors.product_get(slug=slug, currency=currency)
        translations.product_texts_attach(products=[product], language=language)
        context = {"currency": currency, "terms": translations.catalog_terms_get(language=language)}
        return in_language(Response(ProductDetailOutputSerializer(product, context=context).data), language)


class CategoryListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[CategoryListQuerySerializer],
                   responses={200: CategoryOutputSerializer(many=True), 400: INVALID_QUERY},
                   summary="All categories, as a tree of paths", description=CONTENT_LANGUAGE, tags=["catalog"])
    def get(self, request: Request) -> Response:
        query = validated_query(request, CategoryListQuerySerializer)
        language = answer_language(request, query.get("lang"))
        categories = translations.category_texts_attach(categories=selectors.category_list(), language=language)
        return in_language(Response(CategoryOutputSerializer(categories, many=True).data), language)


class CurrencyListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=CurrencyOutputSerializer(many=True),
                   summary="Currencies the storefront prices in, with the rate in force", tags=["catalog"])
    def get(self, request: Request) -> Response:
        validated_query(request, serializers.Serializer)
        fx = selectors.fx_table_get()
        default = settings.LIVEDOCK_DEFAULT_CURRENCY
        rows = []
        for code in settings.LIVEDOCK_SUPPORTED_CURRENCIES:
            try:
                quote = fx.quote(default, code)
                rate, as_of, source = quote.rate, quote.as_of, quote.source
            except FxRateUnavailable:
                rate, as_of, source = None, None, "no rate on file"
            rows.append({"code": code, "exponent": currency_exponent(code), "rate_from_default": rate,
                         "as_of": as_of, "source": source})
        return Response(CurrencyOutputSerializer(rows, many=True).data)
