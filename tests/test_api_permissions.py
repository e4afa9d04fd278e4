"""Deny by default: an API view that names no permission refuses callers who are not signed in, and every
API view names its own, so an endpoint is open only because it says AllowAny."""

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView


def drf_views() -> dict[str, type[APIView]]:
    """Every DRF view the URL conf serves, by its route."""
    found: dict[str, type[APIView]] = {}

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "cls", None)
                if view_class is not None and issubclass(view_class, APIView):
                    found[prefix + str(pattern.pattern)] = view_class

    walk(get_resolver().url_patterns, "/")
    return found


def test_a_view_that_names_no_permission_refuses_anonymous_callers():
    class Unstated(APIView):
        def get(self, request):
            return Response({"reached": True})

    response = Unstated.as_view()(APIRequestFactory().get("/api/v1/unstated/"))
    assert response.status_code == 401
    assert response.data["error"]["code"] == "not_authenticated"


def test_every_api_view_states_who_may_call_it():
    views = drf_views()
    assert len(views) > 40
    unstated = []
    for route, view_class in views.items():
        stated_by = next(k for k in view_class.__mro__ if "permission_classes" in vars(k))
        if stated_by.__module__.startswith("rest_framework."):
            unstated.append(route)
    assert unstated == []
