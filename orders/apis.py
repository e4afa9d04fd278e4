"""Buyer API: cart, checkout and orders."""

from __future__ import annotations

import logging

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import BuyerJWTAuthentication
from accounts.selectors import buyer_currency
from config.api import validated_query
from config.idempotency import idempotency_header, idempotency_key_checked, request_fingerprint
from config.pagination import PageQuerySerializer
from config.schema import error_response
from payments.services import checkout as payment_checkout

from . import selectors
from .serializers import (
    CartLineAddInputSerializer,
    CartLineUpdateInputSerializer,
    CartOutputSerializer,
    CartQuerySerializer,
    CheckoutInputSerializer,
    OrderOutputSerializer,
    OrderSummaryOutputSerializer,
)
from .services import cart

log = logging.getLogger(__name__)

# The cart and checkout price in the buyer's currency: their user is read with the buyer profile.
BUYER_AUTHENTICATION = [BuyerJWTAuthentication, SessionAuthentication]


def _cart_response(request: Request, currency: str | None = None) -> Response:
    currency = buyer_currency(buyer=request.user, requested=currency)
    priced = selectors.cart_priced(buyer=request.user, currency=currency)
    return Response(CartOutputSerializer(priced, context={"currency": currency}).data)


class CartApi(APIView):
    authentication_classes = BUYER_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[CartQuerySerializer], responses=CartOutputSerializer,
                   summary="My cart, priced in my currency at the rates in force", tags=["cart"])
    def get(self, request: Request) -> Response:
        query = validated_query(request, CartQuerySerializer)
        return _cart_response(request, query.get("currency"))


class CartLineListApi(APIView):
    authentication_classes = BUYER_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CartLineAddInputSerializer, responses={
                   201: CartOutputSerializer, 404: error_response("No such claim of yours."), 409: error_response(
                   "Not enough stock, the live deal is over, sold out (in all or in this size: "
                   "`deal_size_sold_out`) or at its limit for this buyer, or the claim expired.")},
                   summary="Add a variant to my cart", tags=["cart"])
    def post(self, request: Request) -> Response:
        data = CartLineAddInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        currency = buyer_currency(buyer=request.user, requested=None)
        priced = cart.cart_line_add(buyer=request.user, sku=data.validated_data["variant"],
                                    quantity=data.validated_data["quantity"], deal_id=data.validated_data.get("deal"),
                                    claim_id=data.validated_data.get("claim"), currency=currency)
        return Response(CartOutputSerializer(priced, context={"currency": currency}).data,
                        status=status.HTTP_201_CREATED)


class CartLineDetailApi(APIView):
    authentication_classes = BUYER_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CartLineUpdateInputSerializer, responses={
                   200: CartOutputSerializer, 409: error_response(
                   "Not enough stock, or for a live deal's line not enough of the deal's units of this size.")},
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


IDEMPOTENCY_HEADER = idempotency_header("checkout")


class CheckoutApi(APIView):
    authentication_classes = BUYER_AUTHENTICATION
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CheckoutInputSerializer, parameters=[IDEMPOTENCY_HEADER],
                   responses={201: OrderOutputSerializer, 404: error_response("No such address of yours."),
                              409: error_response(
                                  "Not enough stock; a live deal's line over, sold out in all or in its size "
                                  "(`deal_size_sold_out`), at the buyer's limit, or its claim expired; or the "
                                  "Idempotency-Key was used with another body.")},
                   summary="Place an order from my cart, reserving its stock",
                   description=(
                       "Answers at once with the order and its payment in `creating`: a worker creates the "
                       "Stripe PaymentIntent. Poll `GET /api/v1/orders/{number}/payment/` until `client_secret` is "
                       "set, then confirm the card with Stripe.js; Stripe's webhook marks the order paid."),
                   tags=["checkout"])
    def post(self, request: Request) -> Response:
        key = idempotency_key_checked(request.headers.get("Idempotency-Key"))
        data = CheckoutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = payment_checkout.checkout_complete(
            buyer=request.user, address_id=data.validated_data["address_id"],
            currency=data.validated_data.get("currency"), idempotency_key=key,
            request_hash=request_fingerprint(request.data))
        order = result.order
        if result.replayed:
            order = selectors.order_get(buyer=request.user, number=order.number)
        if result.payment is not None:
            order.payment = result.payment
        response = Response(OrderOutputSerializer(order).data, status=status.HTTP_201_CREATED)
        if result.replayed:
            response["Idempotent-Replayed"] = "true"
        return response


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
