"""Storefront catalog API: anonymous and read-only."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import validated_query
from config.errors import InvalidInput

from . import selectors
from .catalog_cache import Entry, Kind, cache_key, catalog_cache, entry_headers, etag_matches
from .errors import FxRateUnavailable
from .money import currency_exponent
from .serializers import (
    CatalogQuerySerializer,
    CategoryOutputSerializer,
    CurrencyOutputSerializer,
    ProductDetailOutputSerializer,
    ProductListOutputSerializer,
    ProductListQuerySerializer,
)


class ProductListApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = ProductListOutputSerializer

    @extend_schema(parameters=[ProductListQuerySerializer], responses=ProductListOutputSerializer(many=True),
                   summary="List products", tags=["catalog"])
    def get(self, request: Request) -> HttpResponse:
        return cached_answer(request, route="products", render=self._render)

    def _render(self, request: Request) -> tuple[dict, list[int], set[str]]:
        query = validated_query(request, ProductListQuerySerializer)
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
        data = ProductListOutputSerializer(page, many=True,
                                           context={"currency": currency, "in_stock": in_stock}).data
        return self.get_paginated_response(data).data, [p.pk for p in page], _list_reached_by(filters)


def _list_reached_by(filters: selectors.ProductFilters) -> set[str]:
    """The kinds of change that can reorder or refill a list besides changes of the products on it: any
    product listed or unlisted, and those its order and filters read."""
    kinds = {Kind.LISTING}
    if filters.ordering in ("price", "-price") or filters.price_min is not None or filters.price_max is not None:
        kinds.add(Kind.PRICE)
    if filters.in_stock is not None:
        kinds.add(Kind.STOCK)
    if filters.search or filters.ordering in ("name", "-name"):
        kinds.add(Kind.TEXT)
    return kinds


def cached_answer(request: Request, *, route: str, render, arg: str = "", detail: bool = False) -> HttpResponse:
    """The catalog answer for this request from the process's response cache, or rendered by `render` (which
    returns the data, the products shown and the kinds of change that reach it) and kept."""
    language = "en"
    key = cache_key(route=route, arg=arg, query_string=request.META.get("QUERY_STRING", ""), language=language)
    trusted = catalog_cache.follow()
    entry = catalog_cache.get(key) if trusted else None
    if entry is None:
        tick = catalog_cache.feed.tick  # before reading: a change read meanwhile drops the answer
        data, products, kinds = render(request)
        body = JSONRenderer().render(data)
        entry = (catalog_cache.put if trusted else Entry.make)(
            key, body=body, language=language, tick=tick, products=products, detail=detail, channels=kinds)
    public = "Authorization" not in request.headers and not request.user.is_authenticated
    if etag_matches(request.headers.get("If-None-Match"), entry.etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(entry.body, content_type="application/json")
    for name, value in entry_headers(entry, public=public):
        response[name] = value
    return response


class ProductDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[CatalogQuerySerializer], responses=ProductDetailOutputSerializer,
                   summary="Product detail with variants, prices and availability", tags=["catalog"])
    def get(self, request: Request, slug: str) -> HttpResponse:
        return cached_answer(request, route="product", arg=slug, detail=True, render=self._render)

    def _render(self, request: Request) -> tuple[dict, list[int], set[str]]:
        query = validated_query(request, CatalogQuerySerializer)
        currency = selectors.currency_validate(query.get("currency"))
        product = selectors.product_get(slug=self.kwargs["slug"], currency=currency)
        return ProductDetailOutputSerializer(product, context={"currency": currency}).data, [product.pk], set()


class CategoryListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=CategoryOutputSerializer(many=True), summary="All categories, as a tree of paths",
                   tags=["catalog"])
    def get(self, request: Request) -> Response:
        validated_query(request, serializers.Serializer)
        return Response(CategoryOutputSerializer(selectors.category_list(), many=True).data)


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
