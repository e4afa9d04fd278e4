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
    @cached_property
    def count(self) -> int:
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
        return self._get_page(self.object_list[bottom:bottom + self.per_page], number, self)


class PagePagination(PageNumberPagination):
    django_paginator_class = CachedCountPaginator
    page_size_query_param = "page_size"
    max_page_size = 100


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
