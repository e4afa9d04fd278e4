import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

# How long a list's total count may be reused. Counting a large filtered catalog costs more than
# the page itself; a count a few seconds old is fine for "1,234 results".
COUNT_CACHE_SECONDS = 30


class CachedCountPaginator(Paginator):
    def __init__(self, *args, known_count: int | None = None, known_page: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_count = known_count
        self.known_page = known_page

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:  # the view counted the same list already (search facets' total)
            return self.known_count
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        try:
            sql, params = query.sql_with_params()
        except EmptyResultSet:  # a queryset known to be empty (qs.none()) has no SQL
            return 0
        key = "page-count:" + hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
        value = cache.get(key)
        if value is None:
            value = self.object_list.count()
            cache.set(key, value, COUNT_CACHE_SECONDS)
        return value


    def page(self, number):
        # Slice by page size alone: a count cached a few seconds ago must never cut a page short.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.known_page is not None:  # the view has read this page already
            return self._get_page(self.known_page, number, self)
        return self._get_page(self.object_list[bottom:bottom + self.per_page], number, self)


class PagePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        # A view that has counted the whole list (view.known_count) spares the paginator its count query, and one
        # that has read the page asked for (view.known_page) its page query.
        self._known = (getattr(view, "known_count", None), getattr(view, "known_page", None))
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, object_list, per_page):
        known_count, known_page = getattr(self, "_known", (None, None))
        return CachedCountPaginator(object_list, per_page, known_count=known_count, known_page=known_page)


class PageQuerySerializer(serializers.Serializer):
    """The paging parameters of every list, validated up front: the paginator itself would silently fall
    back to the default size on `page_size=ten` or above its maximum."""

    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=PagePagination.max_page_size)


class LanguagePagePagination(PagePagination):
    """A page of texts in one language, which the answer names beside the count: the view sets `language`."""

    language = "en"

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        body = dict(response.data)
        response.data = {"count": body.pop("count"), "language": self.language, **body}
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = [*paginated.get("required", []), "language"]
        paginated["properties"] = {"count": paginated["properties"]["count"], "language": {
            "type": "string", "example": "de",
            "description": "The language asked for or negotiated (also the Content-Language header); each item "
                           "says which language its own texts are in."}, **paginated["properties"]}
        return paginated
