"""Paying for an order, the Stripe webhook endpoint and the operators' refund API."""

from __future__ import annotations

from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import NotFound
from config.idempotency import idempotency_header, idempotency_key_checked, request_fingerprint
from config.schema import error_response
from orders import selectors as order_selectors
from orders.models import Order
from payments import selectors as payment_selectors
from payments.serializers import PaymentOutputSerializer
from payments.services import intents as payment_intents
from payments.services import refunds as refund_services
from payments.services import webhooks as payment_webhooks
from shop.permissions import IsOperator


class RawBodyParser(BaseParser):
    """Keeps the exact bytes: the signature is computed over the raw body."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read()


class WebhookAckSerializer(serializers.Serializer):
    received = serializers.BooleanField()
    duplicate = serializers.BooleanField()


@method_decorator(csrf_exempt, name="dispatch")
class StripeWebhookApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [RawBodyParser]

    @extend_schema(request={"application/json": {"type": "object", "description": "A Stripe event."}},
                   responses={200: WebhookAckSerializer},
                   summary="Stripe webhook: signature-checked, stored once per event id, processed by a worker",
                   tags=["payments"])
    def post(self, request: Request) -> Response:
        receipt = payment_webhooks.webhook_receive(payload=request.body,
                                           signature=request.headers.get("Stripe-Signature", ""))
        return Response({"received": True, "duplicate": receipt.duplicate})


class RefundLineInputSerializer(serializers.Serializer):
    line_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=1000)
    fit_reason = serializers.ChoiceField(choices=["too_small", "too_large", "too_narrow", "too_wide"], required=False,
                                         help_text="When the goods come back because they did not fit.")


class RefundInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    full = serializers.BooleanField(default=False, help_text="Refund everything not yet refunded.")
    lines = RefundLineInputSerializer(many=True, required=False)

    def validate(self, attrs):
        if not attrs["full"] and not attrs.get("lines"):
            raise serializers.ValidationError({"lines": ["Name lines to refund, or set full."]})
        if attrs["full"] and attrs.get("lines"):
            raise serializers.ValidationError({"full": ["Either full or lines, not both."]})
        return attrs


class RefundOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=3)
    currency = serializers.CharField()
    reason = serializers.CharField()
    includes_extras = serializers.BooleanField(help_text="Also refunds the order's duties, taxes and shipping.")


class OperatorRefundApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=RefundInputSerializer, parameters=[idempotency_header("refund")],
                   responses={202: RefundOutputSerializer, 409: error_response(
                       "Not refundable, more than was captured, or the Idempotency-Key was used with another "
                       "body.")},
                   summary="Refund an order in full or by line (operators); a worker moves the money",
                   description=(
                       "A retry with the same Idempotency-Key and body answers with the first refund "
                       "(`Idempotent-Replayed: true`) and refunds nothing more."),
                   tags=["operator"])
    def post(self, request: Request, number: str) -> Response:
        key = idempotency_key_checked(request.headers.get("Idempotency-Key"))
        data = RefundInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = Order.objects.filter(number=number).first()
        if order is None:
            raise NotFound("No such order.")
        lines = [(line["line_id"], line["quantity"]) for line in data.validated_data.get("lines", [])]
        fit_reasons = {line["line_id"]: line["fit_reason"] for line in data.validated_data.get("lines", [])
                       if line.get("fit_reason")}
        result = refund_services.refund_request(order_id=order.pk, lines=lines or None,
                                                reason=data.validated_data["reason"], actor=request.user,
                                                full=data.validated_data["full"], fit_reasons=fit_reasons,
                                                idempotency_key=key, request_hash=request_fingerprint(request.data))
        response = Response(RefundOutputSerializer(result.refund).data, status=status.HTTP_202_ACCEPTED)
        if result.replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class OrderPaymentApi(APIView):
    """The payment of one of my orders. Nothing here calls Stripe: a worker creates the PaymentIntent."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: PaymentOutputSerializer, 404: error_response(
                   "No such order of yours, or no payment was started for it (POST starts one).")},
                   summary="My order's payment: poll until client_secret is set, then confirm with Stripe.js",
                   description=(
                       "After checkout the payment is `creating` while a worker creates the Stripe PaymentIntent; "
                       "poll about once a second until `client_secret` is set. `unavailable`: Stripe could not be "
                       "reached or refused; a worker retries, and POST asks again at once."),
                   tags=["checkout"])
    def get(self, request: Request, number: str) -> Response:
        payment = payment_selectors.payment_of_order(buyer=request.user, number=number)
        return Response(PaymentOutputSerializer(payment).data)

    @extend_schema(request=None, responses={
                   200: PaymentOutputSerializer, 202: PaymentOutputSerializer,
                   404: error_response("No such order of yours."),
                   409: error_response("The order is no longer awaiting payment.")},
                   summary="Start (or ask again for) my order's PaymentIntent; a worker creates it",
                   description=(
                       "202: the payment is `creating` and a worker creates the PaymentIntent (the same one however "
                       "often this is asked); poll GET for the client secret. 200: the PaymentIntent exists "
                       "already; its client secret is in the answer and nothing was asked of Stripe in this request "
                       "(a worker checks it, and replaces an intent Stripe no longer knows: GET then shows the new "
                       "one)."),
                   tags=["checkout"])
    def post(self, request: Request, number: str) -> Response:
        order = order_selectors.order_get(buyer=request.user, number=number)
        payment = payment_intents.payment_request(order_id=order.pk)
        return Response(PaymentOutputSerializer(payment).data,
                        status=status.HTTP_200_OK if payment.intent_id else status.HTTP_202_ACCEPTED)
