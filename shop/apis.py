"""Storefront catalog API: anonymous and read-only."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication

from accounts import selectors as accounts_selectors
from config.api import validated_query
from config.errors import InvalidInput
from config.pagination import LanguagePagePagination
from config.schema import error_response
from livestream.selectors import products_on_live_deal_now

from . import search, selectors, translations
from .catalog_cache import Entry, Kind, cache_key, catalog_cache, entry_headers, etag_matches
from .errors import FxRateUnavailable
from .languages import language_code, language_negotiate
from .money import currency_exponent
from .serializers import (
    CatalogQuerySerializer,
    CategoryListQuerySerializer,
    CategoryOutputSerializer,
    CurrencyOutputSerializer,
    FacetsOutputSerializer,
    ProductDetailOutputSerializer,
    ProductListOutputSerializer,
    ProductListPageOutputSerializer,
    ProductListQuerySerializer,
    SearchSuggestionOutputSerializer,
    SearchSuggestionsQuerySerializer,
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


# Catalog reads know buyers by their bearer token only: reading a session would make every anonymous answer
# vary on Cookie, which a CDN cannot share (a buyer's storefront signs in with tokens, never the session).
CATALOG_AUTHENTICATION = [JWTAuthentication]


class ProductListApi(GenericAPIView):
    permission_classes = [AllowAny]
    authentication_classes = CATALOG_AUTHENTICATION
    serializer_class = ProductListOutputSerializer
    pagination_class = LanguagePagePagination
    known_count: int | None = None
    known_page: list | None = None

    @extend_schema(operation_id="catalog_products_list", parameters=[ProductListQuerySerializer],
                   responses={200: ProductListPageOutputSerializer, 400: INVALID_QUERY,
                              404: error_response("No such page.")},
                   summary="List and search products, with facet counts on request", description=CONTENT_LANGUAGE,
                   tags=["catalog"])
    def get(self, request: Request) -> HttpResponse:
        return cached_answer(request, route="products", render=self._render)

    def _render(self, request: Request, language: str) -> tuple[dict, list[int], set[str]]:
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
            refinements=self._refinements(query, language),
        )
        facets = None
        if query["facets"]:
            # Counted from the columns each process keeps (shop.facet_index); the page is then read by id.
            size = self.paginator.get_page_size(request)
            facets = selectors.product_search(
                filters=filters, currency=currency, size_system=query.get("size_system") or "EU",
                selected=self._selected(query), offset=(query.get("page", 1) - 1) * size, limit=size)
            self.known_count = facets.total
            self.known_page = selectors.product_list_page(product_ids=facets.page_ids, currency=currency,
                                                          language=language)
            products = []  # the paginator has the count and the page already
        else:
            products = selectors.product_list(filters=filters, currency=currency)
        page = self.paginate_queryset(products)
        if all(hasattr(p, "page_in_stock") for p in page):  # read with the page by id
            in_stock = {p.pk for p in page if p.page_in_stock}
        else:
            in_stock = selectors.products_in_stock(product_ids=[p.pk for p in page])
        translations.product_texts_attach(products=page, language=language)
        data = ProductListOutputSerializer(page, many=True,
                                           context={"currency": currency, "in_stock": in_stock}).data
        self.paginator.language = language
        response = self.get_paginated_response(data)
        if facets is not None:
            response.data["facets"] = FacetsOutputSerializer(facets).data
        return response.data, [p.pk for p in page], _list_reached_by(filters, facets=facets is not None)

    @staticmethod
    def _refinements(query: dict, language: str) -> search.SearchRefinements:
        wants_live = query["facets"] or query.get("on_live_deal") is not None
        return search.SearchRefinements(
            language=language, size_system=query.get("size_system"), width=query.get("width"),
            colour=query.get("colour"), material=query.get("material"), price_band=query.get("price_band"),
            on_live_deal=query.get("on_live_deal"),
            live_product_ids=products_on_live_deal_now() if wants_live else frozenset())

    @staticmethod
    def _selected(query: dict) -> dict[str, str | None]:
        def flag(value):
            return None if value is None else str(value).lower()
        return {"category": query.get("category"), "size": query.get("size"), "width": query.get("width"),
                "colour": query.get("colour"), "material": query.get("material"),
                "price_band": query.get("price_band"), "in_stock": flag(query.get("in_stock")),
                "on_live_deal": flag(query.get("on_live_deal"))}


def _list_reached_by(filters: selectors.ProductFilters, *, facets: bool) -> set[str]:
    """The kinds of change that can reorder or refill a list besides changes of the products on it: any
    product listed or unlisted, and those its order, filters and facet counts read."""
    if facets:  # counts over the whole result: any price, stock, text or live deal may move them
        return {Kind.LISTING, Kind.PRICE, Kind.STOCK, Kind.TEXT, Kind.DEAL}
    kinds = {Kind.LISTING}
    refinements = filters.refinements
    if filters.ordering in ("price", "-price") or filters.price_min is not None or filters.price_max is not None \
            or refinements.price_band:
        kinds.add(Kind.PRICE)
    if filters.in_stock is not None:
        kinds.add(Kind.STOCK)
    if filters.search or filters.ordering in ("name", "-name"):
        kinds.add(Kind.TEXT)
    if refinements.on_live_deal is not None:
        kinds.add(Kind.DEAL)
    return kinds


def cached_answer(request: Request, *, route: str, render, arg: str = "", detail: bool = False) -> HttpResponse:
    """The catalog answer for this request from the process's response cache, or rendered by `render` (which
    returns the data, the products shown and the kinds of change that reach it) and kept. A `lang` that names
    no catalog language is refused by the render's validation, so no answer is ever kept under it."""
    raw = request.query_params.get("lang")
    language = answer_language(request, language_code(raw) if raw else None)
    key = cache_key(route=route, arg=arg, query_string=request.META.get("QUERY_STRING", ""), language=language)
    trusted = catalog_cache.follow()
    entry = catalog_cache.get(key) if trusted else None
    if entry is None:
        tick = catalog_cache.feed.tick  # before reading: a change read meanwhile drops the answer
        data, products, kinds = render(request, language)
        rendered = {"body": JSONRenderer().render(data), "language": language, "tick": tick, "products": products,
                    "detail": detail, "channels": kinds}
        # Kept only while the change log is read: otherwise nothing could drop it.
        entry = catalog_cache.put(key, **rendered) if trusted else Entry.make(**rendered)
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
    authentication_classes = CATALOG_AUTHENTICATION

    @extend_schema(parameters=[CatalogQuerySerializer],
                   responses={200: ProductDetailOutputSerializer, 400: INVALID_QUERY,
                              404: error_response("No such active product.")},
                   summary="Product detail with variants, prices and availability", description=CONTENT_LANGUAGE,
                   tags=["catalog"])
    def get(self, request: Request, slug: str) -> HttpResponse:
        return cached_answer(request, route="product", arg=slug, detail=True, render=self._render)

    def _render(self, request: Request, language: str) -> tuple[dict, list[int], set[str]]:
        query = validated_query(request, CatalogQuerySerializer)
        currency = selectors.currency_validate(query.get("currency"))
        product = selectors.product_get(slug=self.kwargs["slug"], currency=currency, language=language)
        translations.product_texts_attach(products=[product], language=language)
        context = {"currency": currency, "terms": translations.catalog_terms_get(language=language)}
        return ProductDetailOutputSerializer(product, context=context).data, [product.pk], set()


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


class SearchSuggestionsApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[SearchSuggestionsQuerySerializer], responses=SearchSuggestionOutputSerializer(many=True),
                   summary="Suggestions as the buyer types: categories, brands, product names, words", tags=["catalog"])
    def get(self, request: Request) -> Response:
        query = validated_query(request, SearchSuggestionsQuerySerializer)
        language = answer_language(request, query.get("lang"))
        suggestions = search.search_suggestions(text=query["q"], language=language)
        return in_language(Response(SearchSuggestionOutputSerializer(suggestions, many=True).data), language)
