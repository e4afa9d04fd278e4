"""One error shape for every error response:

    {"error": {"code": "insufficient_stock", "message": "...", "fields": {...}}}

Services raise subclasses of ApplicationError with a stable `code`; `api_exception_handler` maps them,
DRF's own exceptions and Django's validation, 404 and permission errors to that shape.
"""

from __future__ import annotations

import logging
from typing import Any

import kombu.exceptions
import redis.exceptions
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.utils.module_loading import autodiscover_modules
from django.views import defaults
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from config import metrics

logger = logging.getLogger(__name__)

# A backing service (PostgreSQL, Redis, the broker) failed under the request: nothing of it was kept (its
# transaction rolled back), and the same request will work once the service is back, so the caller gets
# 503 with Retry-After rather than a 500 that reads like a bug.
BACKING_SERVICE_ERRORS = (OperationalError, InterfaceError, redis.exceptions.ConnectionError,
                          redis.exceptions.TimeoutError, kombu.exceptions.OperationalError)
RETRY_AFTER_SECONDS = 5

# Refusals by the stock and flash-deal guards, counted for the operators' dashboard.
OVERSELL_GUARD_CODES = frozenset({"insufficient_stock", "deal_sold_out", "deal_size_sold_out"})


class ApplicationError(Exception):
    """Base of every business error a service raises. Subclasses set `code` and `status_code`."""

    code = "application_error"
    status_code = status.HTTP_400_BAD_REQUEST
    default_message = "The request could not be processed."

    def __init__(self, message: str | None = None, *, fields: dict[str, Any] | None = None,
                 extra: dict[str, Any] | None = None):
        self.message = message or self.default_message
        self.fields = fields or {}
        self.extra = extra or {}
        super().__init__(self.message)


class InvalidInput(ApplicationError):
    code = "invalid"
    default_message = "Some of the input is not valid."


class NotFound(ApplicationError):
    code = "not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_message = "Not found."


class Conflict(ApplicationError):
    code = "conflict"
    status_code = status.HTTP_409_CONFLICT
    default_message = "The request conflicts with the current state."


class IllegalTransition(Conflict):
    """A state machine (an order, a live session) refuses a move its transitions table does not allow."""

    code = "illegal_transition"
    default_message = "That status cannot follow the current one."


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    default_message = "This Idempotency-Key was already used with a different request body."



class IdempotencyKeyInvalid(InvalidInput):
    code = "idempotency_key_invalid"
    default_message = "Send an Idempotency-Key header of 8 to 255 letters, digits, '-', '_', ':' or '.'."



class ServiceBusy(ApplicationError):
    """Admission control refused the request for now: the answer carries Retry-After."""

    code = "service_busy"
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_message = "Too many requests are being served right now; retry shortly."


class NotAuthenticated(ApplicationError):
    code = "not_authenticated"
    status_code = status.HTTP_401_UNAUTHORIZED
    default_message = "Authentication credentials were not provided."


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status_code = status.HTTP_403_FORBIDDEN
    default_message = "You do not have permission to do this."


# Codes the handler itself answers with, besides the ApplicationError subclasses' own.
HANDLER_CODES = frozenset({"invalid", "service_unavailable", "server_error", "bad_request", "not_found",
                           "permission_denied", "authentication_failed", "method_not_allowed", "not_acceptable",
                           "unsupported_media_type", "throttled", "parse_error", "not_authenticated", "error"})


def error_codes() -> list[str]:
    """Every code an error response can carry: each app's errors module is imported, then every
    ApplicationError subclass is read. One code per condition: a test fails if two classes define one."""
    autodiscover_modules("errors")
    codes, pending = set(HANDLER_CODES), [ApplicationError]
    while pending:
        cls = pending.pop()
        codes.add(cls.code)
        pending.extend(cls.__subclasses__())
    return sorted(codes)


def error_body(code: str, message: str, fields: dict[str, Any] | None = None,
               extra: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message, "fields": fields or {}}
    if extra:
        body.update(extra)
    return {"error": body}


def _message_of(exc: drf_exceptions.APIException) -> str:
    """Human text for a non-validation error. DRF gives a string; simplejwt gives a dict of the text, its code
    and the token classes it tried, whose repr is no message for a person."""
    detail = exc.detail
    if isinstance(detail, dict):
        detail = detail.get("detail", exc.default_detail)
    if isinstance(detail, list):
        return "; ".join(str(item) for item in detail if isinstance(item, str)) or str(exc.default_detail)
    return str(detail)


def _flatten_detail(detail: Any) -> Any:
    """DRF ErrorDetail trees -> plain lists/dicts of strings."""
    if isinstance(detail, dict):
        return {str(k): _flatten_detail(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_flatten_detail(v) for v in detail]
    return str(detail)


_DRF_CODES = {
    drf_exceptions.NotAuthenticated: "not_authenticated",
    drf_exceptions.AuthenticationFailed: "authentication_failed",
    drf_exceptions.PermissionDenied: "permission_denied",
    drf_exceptions.NotFound: "not_found",
    drf_exceptions.MethodNotAllowed: "method_not_allowed",
    drf_exceptions.NotAcceptable: "not_acceptable",
    drf_exceptions.UnsupportedMediaType: "unsupported_media_type",
    drf_exceptions.Throttled: "throttled",
    drf_exceptions.ParseError: "parse_error",
}


def error_answer(exc: Exception) -> tuple[int, dict[str, Any], dict[str, str]] | None:
    """Status, body and headers of the answer to a business error or a backing service being away; None for
    anything else. Shared by DRF's handler and the views served outside DRF (livestream/asgi.py)."""
    if isinstance(exc, BACKING_SERVICE_ERRORS):
        logger.error("backing service unavailable: %s", exc, exc_info=exc)
        return 503, error_body("service_unavailable", "A backing service is briefly unavailable; retry shortly "
                               "with the same Idempotency-Key."), {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if isinstance(exc, ApplicationError):
        if exc.code in OVERSELL_GUARD_CODES:
            metrics.increment("livedock_oversell_refusals", {"code": exc.code})
        retry_after = exc.extra.get("retry_after_seconds")
        if retry_after is None and exc.status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
            retry_after = RETRY_AFTER_SECONDS
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        return exc.status_code, error_body(exc.code, exc.message, exc.fields, exc.extra), headers
    return None


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    answer = error_answer(exc)
    if answer is not None:
        if isinstance(exc, BACKING_SERVICE_ERRORS):
            set_rollback()
        status_code, body, headers = answer
        return Response(body, status=status_code, headers=headers)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = "; ".join(exc.messages) if not fields else "Some of the input is not valid."
        return Response(error_body("invalid", message, fields), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handler answers (in the same shape, see urls)

    if isinstance(exc, drf_exceptions.ValidationError):
        detail = _flatten_detail(exc.detail)
        if isinstance(detail, dict):
            non_field = detail.pop("non_field_errors", None)
            message = "; ".join(non_field) if non_field else "Some of the input is not valid."
            response.data = error_body("invalid", message, detail)
        else:
            response.data = error_body("invalid", "; ".join(detail) if isinstance(detail, list) else detail)
        return response

    code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), None)
    if code is None:
        code = getattr(exc, "default_code", "error")
    extra = None
    if isinstance(exc, drf_exceptions.Throttled) and exc.wait is not None:
        extra = {"retry_after_seconds": int(exc.wait)}
    message = _message_of(exc) if isinstance(exc, drf_exceptions.APIException) else str(exc)
    response.data = error_body(code, message, extra=extra)
    return response


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def json_404(request, exception=None):
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def json_500(request):
    if not _is_api(request):
        return defaults.server_error(request)
    return JsonResponse(error_body("server_error", "An unexpected error occurred."), status=500)


def json_403(request, exception=None):
    if not _is_api(request):
        return defaults.permission_denied(request, exception)
    return JsonResponse(error_body("permission_denied", "Forbidden."), status=403)


def json_400(request, exception=None):
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    return JsonResponse(error_body("bad_request", "Bad request."), status=400)
