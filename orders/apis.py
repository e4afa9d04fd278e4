"""Buyer API: accounts, addresses, cart, checkout and orders."""

from __future__ import annotations

import hashlib
import json
import logging

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from config.api import validated_query
from config.errors import ApplicationError
from config.pagination import PageQuerySerializer
from config.schema import error_response
from shop import selectors as shop_selectors

from . import selectors
from .serializers import (
    AddressInputSerializer,
    AddressOutputSerializer,
    AddressUpdateInputSerializer,
    CartLineAddInputSerializer,
    CartLineUpdateInputSerializer,
    CartOutputSerializer,
    CartQuerySerializer,
    CheckoutInputSerializer,
    LoginInputSerializer,
    OrderOutputSerializer,
    OrderSummaryOutputSerializer,
    ProfileOutputSerializer,
    ProfileUpdateInputSerializer,
    RefreshInputSerializer,
    RegisterInputSerializer,
    TokenOutputSerializer,
)
from .services import buyers, cart, checkout, payments

log = logging.getLogger(__name__)


class InvalidCredentials(ApplicationError):
    code = "invalid_credentials"
    status_code = 401
    default_message = "Email or password is wrong."


class InvalidToken(ApplicationError):
    code = "invalid_token"
    status_code = 401
    default_message = "The refresh token is invalid or expired."


def _tokens(user) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


class _AuthApi(APIView):
    """Anonymous endpoints that hand out credentials: no authentication, rate limited per client."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth-login"


class RegisterApi(_AuthApi):
    throttle_scope = "auth-register"

    @extend_schema(request=RegisterInputSerializer, responses={201: TokenOutputSerializer,
                   409: error_response("Email already registered.")},
                   summary="Register a buyer account", tags=["auth"])
    def post(self, request: Request) -> Response:
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = buyers.buyer_register(**data.validated_data)
        return Response(_tokens(user), status=status.HTTP_201_CREATED)


class LoginApi(_AuthApi):

    @extend_schema(request=LoginInputSerializer, responses={200: TokenOutputSerializer,
                   401: error_response("Email or password is wrong."),
                   429: error_response("Too many attempts from this client, or the account is locked for a while.")},
                   summary="Log in; returns an access and a refresh token", tags=["auth"])
    def post(self, request: Request) -> Response:
        data = LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data["email"].strip().lower()
        buyers.login_lock_check(email=email)
        user = authenticate(request, username=email, password=data.validated_data["password"])
        if user is None:
            buyers.login_failed(email=email)
            raise InvalidCredentials()
        buyers.login_succeeded(email=email)
        return Response(_tokens(user))


class RefreshApi(_AuthApi):

    @extend_schema(request=RefreshInputSerializer, responses={200: TokenOutputSerializer,
                   401: error_response("The refresh token is invalid or expired.")},
                   summary="Exchange a refresh token for a new access token", tags=["auth"])
    def post(self, request: Request) -> Response:
        data = RefreshInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            refresh = RefreshToken(data.validated_data["refresh"])
        except TokenError as exc:
            raise InvalidToken() from exc
        return Response({"access": str(refresh.access_token)})


class ProfileApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProfileOutputSerializer, summary="My profile", tags=["buyer"])
    def get(self, request: Request) -> Response:
        return Response(ProfileOutputSerializer(buyers.buyer_profile_get(user=request.user)).data)

    @extend_schema(request=ProfileUpdateInputSerializer, responses=ProfileOutputSerializer,
                   summary="Change my name, preferred currency or language", tags=["buyer"])
    def patch(self, request: Request) -> Response:
        data = ProfileUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = buyers.buyer_profile_update(user=request.user, **data.validated_data)
        return Response(ProfileOutputSerializer(profile).data)


class AddressListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AddressOutputSerializer(many=True), summary="My shipping addresses", tags=["buyer"])
    def get(self, request: Request) -> Response:
        addresses = selectors.address_list(buyer=request.user)
        return Response(AddressOutputSerializer(addresses, many=True).data)

    @extend_schema(request=AddressInputSerializer, responses={201: AddressOutputSerializer},
                   summary="Add a shipping address (postal code checked for the country)", tags=["buyer"])
    def post(self, request: Request) -> Response:
        data = AddressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = buyers.address_create(buyer=request.user, **data.validated_data)
        return Response(AddressOutputSerializer(address).data, status=status.HTTP_201_CREATED)


class AddressDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AddressUpdateInputSerializer, responses=AddressOutputSerializer,
                   summary="Change a shipping address", tags=["buyer"])
    def patch(self, request: Request, address_id: int) -> Response:
        data = AddressUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = buyers.address_update(buyer=request.user, address_id=address_id, **data.validated_data)
        return Response(AddressOutputSerializer(address).data)

    @extend_schema(responses={204: None}, summary="Delete a shipping address", tags=["buyer"])
    def delete(self, request: Request, address_id: int) -> Response:
        buyers.address_delete(buyer=request.user, address_id=address_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _cart_response(request: Request, currency: str | None = None, status_code: int = 200) -> Response:
    currency = checkout.checkout_currency(buyer=request.user, requested=currency)
    priced = selectors.cart_priced(buyer=request.user, currency=currency)
    return Response(CartOutputSerializer(priced, context={"currency": currency}).data, status=status_code)


class CartApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[CartQuerySerializer], responses=CartOutputSerializer,
                   summary="My cart, priced in my currency at the rates in force", tags=["cart"])
    def get(self, request: Request) -> Response:
        query = validated_query(request, CartQuerySerializer)
        return _cart_response(request, query.get("currency"))


class CartLineListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CartLineAddInputSerializer, responses={201: CartOutputSerializer, 409: error_response(
                   "Not enough stock, or the live deal is over, sold out or at its limit for this buyer.")},
                   summary="Add a variant to my cart", tags=["cart"])
    def post(self, request: Request) -> Response:
        data = CartLineAddInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        variant_id = shop_selectors.variant_id_by_sku(sku=data.validated_data["variant"])
        cart.cart_line_add(buyer=request.user, variant_id=variant_id, quantity=data.validated_data["quantity"],
                           deal_id=data.validated_data.get("deal"))
        return _cart_response(request, status_code=status.HTTP_201_CREATED)


class CartLineDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CartLineUpdateInputSerializer, responses={
                   200: CartOutputSerializer, 409: error_response("Not enough stock.")},
                   summary="Change a cart line's quantity", tags=["cart"])
    def patch(self, request: Request, line_id: int) -> Response:
        data = CartLineUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cart.cart_line_update(buyer=request.user, line_id=line_id, quantity=data.validated_data["quantity"])
        return _cart_response(request)

    @extend_schema(responses={200: CartOutputSerializer}, summary="Remove a cart line", tags=["cart"])
    def delete(self, request: Request, line_id: int) -> Response:
        cart.cart_line_remove(buyer=request.user, line_id=line_id)
        return _cart_response(request)


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=True, pattern=checkout.IDEMPOTENCY_KEY_PATTERN,
    description="A unique key per checkout attempt (8-255 of A-Z a-z 0-9 - _ : .). Repeating a request with "
                "the same key returns the first order and creates nothing; the same key with another body is "
                "refused (409).",
)


def request_fingerprint(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


class CheckoutApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CheckoutInputSerializer, parameters=[IDEMPOTENCY_HEADER],
                   responses={201: OrderOutputSerializer, 404: error_response("No such address of yours."),
                              409: error_response(
                                  "Not enough stock, or the Idempotency-Key was used with another body.")},
                   summary="Place an order from my cart, reserving its stock", tags=["checkout"])
    def post(self, request: Request) -> Response:
        key = checkout.idempotency_key_checked(request.headers.get("Idempotency-Key"))
        data = CheckoutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        currency = checkout.checkout_currency(buyer=request.user, requested=data.validated_data.get("currency"))
        placed = checkout.order_place(
            buyer=request.user, address_id=data.validated_data["address_id"], currency=currency,
            idempotency_key=key, request_hash=request_fingerprint(request.data),
        )
        order = placed.order
        if placed.replayed:
            order = selectors.order_get(buyer=request.user, number=order.number)
        payment = _start_payment(order)
        unavailable = payment is None and order.status == "pending_payment"
        if payment is not None:
            order.payment = payment
        response = Response(OrderOutputSerializer(order, context={"payment_unavailable": unavailable}).data,
                            status=status.HTTP_201_CREATED)
        if placed.replayed:
            response["Idempotent-Replayed"] = "true"
        return response


def _start_payment(order):
    """Create the order's PaymentIntent now so the response carries its client secret. If the provider
    cannot be reached the order stands; the buyer retries with POST /orders/{number}/payment/."""
    if order.status != "pending_payment":
        return getattr(order, "payment", None)
    try:
        return payments.payment_start(order_id=order.pk)
    except (payments.TransientGatewayError, payments.PaymentGatewayError):
        log.warning("PaymentIntent for order %s could not be created now", order.number, exc_info=True)
        return None


class OrderPaymentApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={
                   200: OrderOutputSerializer, 409: error_response("The order is no longer awaiting payment."),
                   502: error_response("The payment provider could not be reached; retry.")},
                   summary="Start (or resume) paying for my order: returns the PaymentIntent's client secret",
                   tags=["checkout"])
    def post(self, request: Request, number: str) -> Response:
        order = selectors.order_get(buyer=request.user, number=number)
        try:
            payments.payment_start(order_id=order.pk)
        except payments.TransientGatewayError as exc:
            raise payments.PaymentGatewayError("The payment provider could not be reached; retry shortly.") from exc
        return Response(OrderOutputSerializer(selectors.order_get(buyer=request.user, number=number)).data)


class OrderListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderSummaryOutputSerializer

    @extend_schema(parameters=[PageQuerySerializer], responses=OrderSummaryOutputSerializer(many=True),
                   summary="My orders", tags=["orders"])
    def get(self, request: Request) -> Response:
        validated_query(request, PageQuerySerializer)  # the paginator would ignore a bad page_size
        page = self.paginate_queryset(selectors.order_list(buyer=request.user))
        return self.get_paginated_response(OrderSummaryOutputSerializer(page, many=True).data)


class OrderDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OrderOutputSerializer,
                   summary="One of my orders with lines, parcels and status history", tags=["orders"])
    def get(self, request: Request, number: str) -> Response:
        return Response(OrderOutputSerializer(selectors.order_get(buyer=request.user, number=number)).data)
