"""Flash sales in the storefront: deals outside live sessions, put on by operators, seen and claimed by buyers.

Buyers claim a sale's units with the same claim endpoint as a live deal (`POST /live/deals/{id}/claims/`), hold
them for the same time, join the same waitlist and check out the same way. Without a live session there is no
event stream: the sale's state is polled here (a countdown against `server_time`), a claim's on its own URL.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import validated_query
from config.schema import error_response
from shop.permissions import IsOperator

from . import services
from .apis import _DealStateSerializer, _UpcomingDealSerializer
from .host_apis import DealOutputSerializer, DealSizeInputSerializer, _deal_output, sizes_wanted
from .selectors import flash_sales


class FlashSaleLaunchInputSerializer(serializers.Serializer):
    product = serializers.SlugField(max_length=255, help_text="The product's slug; all its sizes may be sold.")
    currency = serializers.RegexField(r"^[A-Z]{3}$", help_text="The sale price's currency: one the product has a "
                                                               "list price in (its own or converted).")
    deal_price = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="At most the list price.")
    quantity_cap = serializers.IntegerField(min_value=1, max_value=1_000_000,
                                            help_text="Units of the sale, set aside from free stock at launch.")
    sizes = DealSizeInputSerializer(many=True, required=False, max_length=100, help_text=(
        "Units per size, adding up to quantity_cap. Without it the cap is spread over the sizes in proportion to "
        "their free units."))
    per_buyer_limit = serializers.IntegerField(min_value=1, max_value=100, default=1)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=services.FLASH_SALE_MAX_MINUTES)
    starts_at = serializers.DateTimeField(required=False, help_text=(
        f"Announce it ahead (up to {services.FLASH_SALE_ANNOUNCE_DAYS} days); a claim before the start is a 409 "
        f"deal_not_active. Default: now."))


class FlashSaleQuerySerializer(serializers.Serializer):
    product = serializers.SlugField(max_length=255, required=False, help_text="Only this product's sales.")


class FlashSalesSerializer(serializers.Serializer):
    sales = _DealStateSerializer(many=True, help_text="Running sales with the units buyers can still claim.")
    upcoming = _UpcomingDealSerializer(many=True, help_text="Announced sales; a claim before the start is a 409 "
                                                            "deal_not_active.")
    server_time = serializers.DateTimeField(help_text="The server's clock: count down to starts_at against it.")


class FlashSaleListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(parameters=[FlashSaleQuerySerializer], responses={200: FlashSalesSerializer},
                   summary="Flash sales in the storefront, running and announced (claim with the deal claim API)",
                   tags=["live"])
    def get(self, request: Request) -> Response:
        query = validated_query(request, FlashSaleQuerySerializer)
        response = Response({**flash_sales(product_slug=query.get("product")),
                             "server_time": timezone.now().isoformat()})
        response["Cache-Control"] = "no-cache"
        return response


class OperatorFlashSaleLaunchApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=FlashSaleLaunchInputSerializer, responses={
                   201: DealOutputSerializer, 404: error_response("No such product (or it is not listed)."),
                   409: error_response("Free stock cannot cover the cap or a size's units (`deal_stock_short`, with "
                                       "`free_by_size`): units of open orders and of other deals are not free.")},
                   summary="Put a product on a flash sale in the storefront, setting its units aside (operators)",
                   tags=["operator"])
    def post(self, request: Request) -> Response:
        data = FlashSaleLaunchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        deal = services.flash_sale_launch(product_slug=v["product"], currency=v["currency"],
                                          deal_price=v["deal_price"], quantity_cap=v["quantity_cap"],
                                          per_buyer_limit=v["per_buyer_limit"],
                                          duration_minutes=v["duration_minutes"], starts_at=v.get("starts_at"),
                                          sizes=sizes_wanted(v))
        return Response(_deal_output(deal), status=status.HTTP_201_CREATED)


class OperatorFlashSaleEndApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=None, responses={200: DealOutputSerializer, 404: error_response("No such flash sale."),
                                            409: error_response("The sale has already ended (`deal_not_active`).")},
                   summary="End a flash sale early; its units in no order go back to free stock (operators)",
                   tags=["operator"])
    def post(self, request: Request, deal_id: int) -> Response:
        return Response(_deal_output(services.flash_sale_end(deal_id=deal_id)))
