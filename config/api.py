"""Helpers shared by every app's API views."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.request import Request

from config.errors import InvalidInput


def validated_query(request: Request, serializer_class: type[serializers.Serializer]) -> dict:
    """Query parameters through an input serializer; unknown parameter names are refused so a typo
    such as `categroy=boots` is not silently ignored. A plain dict, not the QueryDict: DRF reads a
    QueryDict as an HTML form and would drop `festival=` as absent instead of refusing the blank."""
    serializer = serializer_class(data=request.query_params.dict())
    unknown = sorted(set(request.query_params) - set(serializer.fields))
    if unknown:
        raise InvalidInput(
            f"Unknown query parameter(s): {', '.join(unknown)}.",
            fields={name: ["Not a parameter of this endpoint."] for name in unknown},
        )
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
