"""OpenAPI: every operation documents the error responses it can give, all in the one error shape."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTStatelessUserScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers

from config.errors import error_codes


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `insufficient_stock`; the schema "
                                           "lists every code the API answers with.")
    message = serializers.CharField(help_text="Human-readable explanation.")
    fields = serializers.DictField(
        child=serializers.JSONField(), help_text="Per-field messages, keyed by field or parameter name."
    )
    # Some errors carry one more fact beside the message, for a client to act on.
    retry_after_seconds = serializers.IntegerField(required=False, help_text="Throttled: seconds to wait.")
    available = serializers.IntegerField(required=False, help_text="insufficient_stock on a cart line: units left.")
    sku = serializers.CharField(required=False, help_text="insufficient_stock at checkout: the short variant.")
    free_by_size = serializers.DictField(child=serializers.IntegerField(), required=False,
                                         help_text="deal_stock_short: units free to set aside, per SKU.")
    clashing_session = serializers.IntegerField(required=False, help_text="schedule_conflict: the other session.")
    status = serializers.CharField(required=False, help_text="illegal_transition: the current status.")
    requested = serializers.CharField(required=False, help_text="illegal_transition: the status asked for.")


class ErrorResponseSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class StatelessJWTScheme(SimpleJWTStatelessUserScheme):
    """The same bearer token, read without a user row (the live-deal claim path): a scheme name of its own,
    as two classes cannot share one."""

    name = "jwtStatelessAuth"
    priority = 1


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorResponseSerializer, description=description)


class LivedockAutoSchema(AutoSchema):
    """Adds the error responses every view can produce, so no endpoint documents only its happy path, and the
    bounds of nested lists."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # A nested list's own bounds (many=True, max_length=...) are checked in to_internal_value, not by
        # validators, so drf-spectacular does not see them.
        if isinstance(field, serializers.ListSerializer) and schema and schema.get("type") == "array":
            if field.max_length is not None:
                schema["maxItems"] = field.max_length
            if field.min_length is not None:
                schema["minItems"] = field.min_length
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        extra: dict[str, OpenApiResponse] = {"400": error_response("Invalid input or query parameters.")}
        if "{" in self.path:
            extra["404"] = error_response("No such object, or not visible to the caller.")
        elif direction == "response" and self._is_list_view() and getattr(self.view, "pagination_class", None):
            extra["404"] = error_response("No such page.")
        perms = getattr(self.view, "permission_classes", [])
        restricted = any(p is not permissions.AllowAny for p in perms)
        if restricted or getattr(self.view, "authentication_classes", None):
            # Open endpoints still read credentials when they are sent, and refuse a bad or expired token.
            extra["401"] = error_response("Authentication required, or the credentials sent are not valid.")
        if restricted:
            extra["403"] = error_response("Not allowed for this caller.")
        if getattr(self.view, "throttle_classes", None):
            extra["429"] = error_response("Too many requests; retry later.")
        extra["503"] = error_response("A backing service is briefly unavailable; retry after Retry-After seconds.")
        for status_code, resp in extra.items():
            if status_code not in responses:
                responses[status_code] = self._get_response_for_code(resp, status_code, direction=direction)
        return responses


def document_error_codes(result, generator, request, public):
    """The error shape's `code` is an enum of every code the API can answer with."""
    detail = result["components"]["schemas"]["ErrorDetail"]["properties"]["code"]
    detail["enum"] = error_codes()
    return result


def add_streaming_endpoints(result, generator, request, public):
    """Endpoints served outside DRF (Server-Sent Events) documented in the same schema."""
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}
    result["paths"]["/api/v1/live/sessions/{session_id}/events/"] = {"get": {
        "operationId": "live_sessions_events",
        "summary": "Live session state as Server-Sent Events",
        "description": "A `state` event with the same JSON as `/state/` first, then one per change (pin, deal "
                       "started or ended, units left), relayed through Redis pub/sub; a comment line every 15 s. "
                       "Open streams are capped per server process and per client address. "
                       "The stream closes after LIVEDOCK_SSE_MAX_SECONDS; EventSource reconnects.",
        "tags": ["live"],
        "parameters": [{"in": "path", "name": "session_id", "required": True, "schema": {"type": "integer"}}],
        "responses": {
            "200": {"description": "An event stream.",
                    "content": {"text/event-stream": {"schema": {"type": "string"}}}},
            "400": {"description": "Invalid input.", **error},
            "404": {"description": "No such session.", **error},
            "503": {"description": "Too many open streams on this server or from this address "
                                   "(`too_many_streams`), or live events briefly unavailable; see Retry-After and "
                                   "poll `/state/` meanwhile.", **error},
        },
    }}
    return result
