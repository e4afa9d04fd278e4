"""Buyers claim units of a live deal: one fast round trip, then the normal checkout within the hold."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication

from config.errors import NotFound
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
    sku = serializers.SerializerMethodField()
    quantity = serializers.IntegerField()
    status = serializers.CharField(help_text="active (held for checkout), converted (ordered) or expired.")
    expires_at = serializers.DateTimeField(help_text="Check out before this, on the server's clock.")
    seconds_left = serializers.SerializerMethodField()

    def get_sku(self, claim) -> str:
        return self.context.get("sku") or claim.variant.sku  # the claim's own size, without a query when known

    def get_seconds_left(self, claim) -> int:
        if claim.status != "active":
            return 0
        return max(0, int((claim.expires_at - timezone.now()).total_seconds()))


class DealClaimApi(APIView):
    # The token alone says who claims (no user row read per tap): a deactivated account keeps claiming until
    # its access token expires (LIVEDOCK_ACCESS_TOKEN_MINUTES); the checkout that follows reads the account.
    authentication_classes = [JWTStatelessUserAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ClaimInputSerializer, parameters=[idempotency_header("claim")],
                   responses={201: ClaimOutputSerializer, 404: error_response("No such deal."),
                              409: error_response("Sold out (`deal_sold_out`), this size sold out "
                                                  "(`deal_size_sold_out`: other sizes may be left), over the "
                                                  "per-buyer limit, not started or ended; or the Idempotency-Key "
                                                  "was used with another body."),
                              503: error_response("Too many buyers at once while the gate is away; retry after "
                                                  "Retry-After seconds.")},
                   summary="Claim units of a live deal: held for checkout until expires_at", tags=["checkout"])
    def post(self, request: Request, deal_id: int) -> Response:
        key = idempotency_key_checked(request.headers.get("Idempotency-Key"))
        data = ClaimInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sku = data.validated_data["sku"]
        variant_id, product_id = shop_selectors.variant_ref_by_sku(sku=sku)
        result = services.deal_claim(buyer_id=int(request.user.pk), deal_id=deal_id, variant_id=variant_id,
                                     product_id=product_id, quantity=data.validated_data["quantity"],
                                     idempotency_key=key)
        response = Response(ClaimOutputSerializer(result.claim, context={"sku": sku}).data,
                            status=status.HTTP_201_CREATED)
        if result.replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class DealClaimDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ClaimOutputSerializer, summary="One of my claims: held, ordered or expired",
                   tags=["checkout"])
    def get(self, request: Request, claim_id: int) -> Response:
        return Response(ClaimOutputSerializer(selectors.claim_get(buyer_id=request.user.pk, claim_id=claim_id)).data)


class WaitlistInputSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=64, help_text="The size (variant) of the deal's product to wait for.")
    quantity = serializers.IntegerField(min_value=1, max_value=100, default=1)


class WaitlistOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    deal = serializers.IntegerField(source="deal_id")
    sku = serializers.CharField(source="variant.sku")
    quantity = serializers.IntegerField()
    status = serializers.CharField(help_text="waiting; offered (a claim is held for you: check it out before it "
                                             "expires); left; or lapsed (passed over: you hold the limit already, "
                                             "or the deal ended).")
    position = serializers.SerializerMethodField(help_text="1 for the next buyer offered a unit; null once not "
                                                           "waiting.")
    claim = ClaimOutputSerializer(allow_null=True, help_text="The claim offered to you, once offered.")
    joined_at = serializers.DateTimeField()

    def get_position(self, entry) -> int | None:
        return selectors.waitlist_position(entry=entry)


class DealWaitlistApi(APIView):
    """A sold-out deal's waitlist: units that come back (an expired claim, an unpaid order released) are
    offered in the order buyers joined, each as a claim held for a short time."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=WaitlistInputSerializer,
                   responses={201: WaitlistOutputSerializer, 200: WaitlistOutputSerializer,
                              404: error_response("No such deal."),
                              409: error_response("Units can still be claimed (deal_not_sold_out), over the "
                                                  "per-buyer limit, or the deal is not running.")},
                   summary="Wait for units of a sold-out deal (joining again returns your place)", tags=["checkout"])
    def post(self, request: Request, deal_id: int) -> Response:
        data = WaitlistInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        variant_id, product_id = shop_selectors.variant_ref_by_sku(sku=data.validated_data["sku"])
        joined = services.waitlist_join(buyer_id=request.user.pk, deal_id=deal_id, variant_id=variant_id,
                                        product_id=product_id, quantity=data.validated_data["quantity"])
        entry = selectors.waitlist_entry_get(buyer_id=request.user.pk, deal_id=deal_id)
        return Response(WaitlistOutputSerializer(entry).data,
                        status=status.HTTP_201_CREATED if joined.new else status.HTTP_200_OK)

    @extend_schema(responses={200: WaitlistOutputSerializer, 404: error_response("Not on this deal's waitlist.")},
                   summary="My place on a deal's waitlist, or the claim it offered me", tags=["checkout"])
    def get(self, request: Request, deal_id: int) -> Response:
        return Response(WaitlistOutputSerializer(selectors.waitlist_entry_get(buyer_id=request.user.pk,
                                                                              deal_id=deal_id)).data)

    @extend_schema(responses={204: None, 404: error_response("Not waiting on this deal's waitlist.")},
                   summary="Leave a deal's waitlist", tags=["checkout"])
    def delete(self, request: Request, deal_id: int) -> Response:
        if not services.waitlist_leave(buyer_id=request.user.pk, deal_id=deal_id):
            raise NotFound("You are not waiting on this deal's waitlist.")
        return Response(status=status.HTTP_204_NO_CONTENT)
