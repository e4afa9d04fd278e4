"""Buyers claim units of a live deal: one fast round trip, then the normal checkout within the hold."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.idempotency import idempotency_header, idempotency_key_checked
from config.schema import error_response
from shop import selectors as shop_selectors

from . import selectors, services


class ClaimInputSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=64, help_text="The size (variant) of the deal's product.")
    quantity = serializers.IntegerField(min_value=1, max_value=100, default=1)


class ClaimOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    deal = serializers.IntegerField(source="deal_id")
    sku = serializers.CharField(source="variant.sku")
    quantity = serializers.IntegerField()
    status = serializers.CharField(help_text="active (held for checkout), converted (ordered) or expired.")
    expires_at = serializers.DateTimeField(help_text="Check out before this, on the server's clock.")
    seconds_left = serializers.SerializerMethodField()

    def get_seconds_left(self, claim) -> int:
        if claim.status != "active":
            return 0
        return max(0, int((claim.expires_at - timezone.now()).total_seconds()))


class DealClaimApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ClaimInputSerializer, parameters=[idempotency_header("claim")],
                   responses={201: ClaimOutputSerializer, 404: error_response("No such deal."),
                              409: error_response("Sold out, over the per-buyer limit, not started or ended; or "
                                                  "the Idempotency-Key was used with another body."),
                              503: error_response("Too many buyers at once while the gate is away; retry after "
                                                  "Retry-After seconds.")},
                   summary="Claim units of a live deal: held for checkout until expires_at", tags=["checkout"])
    def post(self, request: Request, deal_id: int) -> Response:
        key = idempotency_key_checked(request.headers.get("Idempotency-Key"))
        data = ClaimInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.deal_claim(
            buyer=request.user, deal_id=deal_id, idempotency_key=key, quantity=data.validated_data["quantity"],
            variant_id=shop_selectors.variant_id_by_sku(sku=data.validated_data["sku"]))
        response = Response(ClaimOutputSerializer(result.claim).data, status=status.HTTP_201_CREATED)
        if result.replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class DealClaimDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ClaimOutputSerializer, summary="One of my claims: held, ordered or expired",
                   tags=["checkout"])
    def get(self, request: Request, claim_id: int) -> Response:
        return Response(ClaimOutputSerializer(selectors.claim_get(buyer=request.user, claim_id=claim_id)).data)
