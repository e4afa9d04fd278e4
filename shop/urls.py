from django.urls import path

from . import apis

app_name = "shop"

urlpatterns = [
    path("products/", apis.ProductListApi.as_view(), name="product-list"),
    path("products/<slug:slug>/", apis.ProductDetailApi.as_view(), name="product-detail"),
    path("categories/", apis.CategoryListApi.as_view(), name="category-list"),
    path("currencies/", apis.CurrencyListApi.as_view(), name="currency-list"),
    path("search/suggestions/", apis.SearchSuggestionsApi.as_view(), name="search-suggestions"),
]
