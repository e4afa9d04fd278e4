"""The host's API for running a session: only the session's own host may act on it."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.schema import error_response
from shop import selectors as shop_selectors

from . import selectors, services
from .models import Host, SessionMetrics


class IsHost(BasePermission):
    message = "Only live hosts can do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and Host.objects.filter(user=request.user).exists())


def request_host(request: Request) -> Host:
    return Host.objects.get(user=request.user)


class LineupRequestInputSerializer(serializers.Serializer):
    product = serializers.SlugField(help_text="Product slug.")
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    currency = serializers.CharField(min_length=3, max_length=3)
    commission_rate = serializers.DecimalField(max_digits=5, decimal_places=4, min_value=Decimal(0),
                                               max_value=Decimal("0.8"))
    quantity = serializers.IntegerField(min_value=1, max_value=100000)


class LineupItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.CharField(source="product.slug")
    status = serializers.CharField()
    currency = serializers.CharField()
    proposed_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    proposed_commission_rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    counter_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    counter_commission_rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    agreed_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    agreed_commission_rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)


class DealSizeInputSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=64, help_text="A size (variant) of the lineup product.")
    quantity = serializers.IntegerField(min_value=1, help_text="Units of this size to set aside for the deal.")


class DealLaunchInputSerializer(serializers.Serializer):
    lineup_item = serializers.IntegerField(min_value=1)
    deal_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    quantity_cap = serializers.IntegerField(min_value=1, help_text="Units of the deal, set aside from free stock "
                                                                   "at launch.")
    sizes = DealSizeInputSerializer(many=True, required=False, max_length=100, help_text=(
        "Units per size, adding up to quantity_cap. Without it the cap is spread over the sizes in proportion to "
        "their free units."))
    per_buyer_limit = serializers.IntegerField(min_value=1, max_value=100, default=1)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=240)
    starts_at = serializers.DateTimeField(required=False)


class DealSizeOutputSerializer(serializers.Serializer):
    sku = serializers.CharField()
    size_label = serializers.CharField()
    set_aside = serializers.IntegerField(help_text="Units set aside from free stock at launch.")
    remaining = serializers.IntegerField(help_text="Set aside and in no order yet.")
    returned = serializers.IntegerField(help_text="Given back to free stock after the deal ended.")


class DealOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(source="session_id", allow_null=True,
                                       help_text="Empty for a storefront flash sale (no live session).")
    lineup_item = serializers.IntegerField(source="lineup_item_id", allow_null=True)
    product = serializers.CharField(source="product.slug")
    currency = serializers.CharField()
    deal_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    quantity_cap = serializers.IntegerField()
    remaining = serializers.IntegerField()
    per_buyer_limit = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    ended_early_at = serializers.DateTimeField(allow_null=True)
    sizes = serializers.SerializerMethodField()

    @extend_schema_field(DealSizeOutputSerializer(many=True))
    def get_sizes(self, deal) -> list:
        return DealSizeOutputSerializer(self.context["sizes"], many=True).data


class PinInputSerializer(serializers.Serializer):
    lineup_item = serializers.IntegerField(min_value=1)


class SessionStateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    went_live_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)


class HostLineupRequestApi(APIView):
    permission_classes = [IsHost]

    @extend_schema(request=LineupRequestInputSerializer, responses={
                   201: LineupItemOutputSerializer,
                   409: error_response("The session is over, or the product is already in its lineup.")},
                   summary="Ask a manufacturer to sell a product in my session (selecting fair)", tags=["host"])
    def post(self, request: Request, session_id: int) -> Response:
        data = LineupRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        product = shop_selectors.product_by_slug(slug=values["product"])
        item = services.lineup_request(host=request_host(request), session_id=session_id, product_id=product.pk,
                                       price=values["price"], currency=values["currency"],
                                       commission_rate=values["commission_rate"], quantity=values["quantity"])
        return Response(LineupItemOutputSerializer(item).data, status=status.HTTP_201_CREATED)


class HostLineupAcceptCounterApi(APIView):
    permission_classes = [IsHost]

    @extend_schema(request=None, responses={200: LineupItemOutputSerializer,
                                            409: error_response("The item has no counter-offer to accept.")},
                   summary="Accept the manufacturer's counter-offer", tags=["host"])
    def post(self, request: Request, item_id: int) -> Response:
        item = services.lineup_accept_counter(host=request_host(request), item_id=item_id)
        return Response(LineupItemOutputSerializer(item).data)


class HostSessionGoLiveApi(APIView):
    permission_classes = [IsHost]

    @extend_schema(request=None, responses={200: SessionStateOutputSerializer,
                                            409: error_response("The session cannot go live in its state.")},
                   summary="Go live", tags=["host"])
    def post(self, request: Request, session_id: int) -> Response:
        return Response(SessionStateOutputSerializer(services.session_go_live(host=request_host(request),
                                                                               session_id=session_id)).data)


class HostSessionEndApi(APIView):
    permission_classes = [IsHost]

    @extend_schema(request=None, responses={200: SessionStateOutputSerializer,
                                            409: error_response("The session cannot end in its state.")},
                   summary="End the session (and any running deal)", tags=["host"])
    def post(self, request: Request, session_id: int) -> Response:
        return Response(SessionStateOutputSerializer(services.session_end(host=request_host(request),
                                                                           session_id=session_id)).data)


class HostPinApi(APIView):
    permission_classes = [IsHost]

    @extend_schema(request=PinInputSerializer, responses={201: LineupItemOutputSerializer,
                                                          409: error_response("The session is not live.")},
                   summary="Pin a lineup product", tags=["host"])
    def post(self, request: Request, session_id: int) -> Response:
        data = PinInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pin = services.product_pin(host=request_host(request), session_id=session_id,
                                   lineup_item_id=data.validated_data["lineup_item"])
        return Response(LineupItemOutputSerializer(pin.lineup_item).data, status=status.HTTP_201_CREATED)


def sizes_wanted(values: dict) -> dict[str, int] | None:
    """A launch's `sizes` as SKU -> units (a SKU named twice adds up); None: spread the cap by free stock."""
    if "sizes" not in values:
        return None
    wanted: dict[str, int] = {}
    for size in values["sizes"]:
        wanted[size["sku"]] = wanted.get(size["sku"], 0) + size["quantity"]
    return wanted


def _deal_output(deal) -> dict:
    return DealOutputSerializer(deal, context={"sizes": selectors.deal_sizes(deal_id=deal.pk)}).data


class HostDealLaunchApi(APIView):
    permission_classes = [IsHost]

    @extend_schema(request=DealLaunchInputSerializer, responses={
                   201: DealOutputSerializer,
                   409: error_response("The session is not live (`illegal_transition`), or free stock cannot cover "
                                       "the cap or a size's units (`deal_stock_short`, with `free_by_size`): units "
                                       "of open orders and of other deals are not free.")},
                   summary="Launch a flash deal on a lineup product, setting its units aside from free stock",
                   tags=["host"])
    def post(self, request: Request, session_id: int) -> Response:
        data = DealLaunchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        deal = services.deal_launch(host=request_host(request), session_id=session_id, lineup_item_id=v["lineup_item"],
                                    deal_price=v["deal_price"], quantity_cap=v["quantity_cap"],
                                    per_buyer_limit=v["per_buyer_limit"], duration_minutes=v["duration_minutes"],
                                    starts_at=v.get("starts_at"), sizes=sizes_wanted(v))
        return Response(_deal_output(deal), status=status.HTTP_201_CREATED)


class HostDealEndApi(APIView):
    permission_classes = [IsHost]

    @extend_schema(request=None, responses={200: DealOutputSerializer,
                                            409: error_response("No running deal of yours with that id.")},
                   summary="End a deal early; its units in no order go back to free stock", tags=["host"])
    def post(self, request: Request, deal_id: int) -> Response:
        return Response(_deal_output(services.deal_end(host=request_host(request), deal_id=deal_id)))



class ViewsReportInputSerializer(serializers.Serializer):
    views = serializers.IntegerField(min_value=0, max_value=2_000_000_000)
    concurrent_viewers = serializers.IntegerField(min_value=0, max_value=2_000_000_000, default=0)


class ViewsReportOutputSerializer(serializers.Serializer):
    session = serializers.IntegerField(source="session_id")
    views = serializers.IntegerField()
    concurrent_viewers = serializers.IntegerField()
    reported_at = serializers.DateTimeField()


class ViewsIngestApi(APIView):
    """Viewer counts from the host's streaming tool, authenticated by the tool's own token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=ViewsReportInputSerializer, responses={
                   201: ViewsReportOutputSerializer, 401: error_response("Unknown or disabled streaming tool token."),
                   409: error_response("The session is not live or ended.")},
                   summary="Report a session's views (streaming tool; Authorization: Bearer <tool token>)",
                   tags=["live"])
    def post(self, request: Request, session_id: int) -> Response:
        header = request.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        data = ViewsReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.views_report(token=token, session_id=session_id, views=data.validated_data["views"],
                                       concurrent_viewers=data.validated_data["concurrent_viewers"])
        return Response(ViewsReportOutputSerializer(report).data, status=status.HTTP_201_CREATED)


class SessionMetricsOutputSerializer(serializers.Serializer):
    reporting_currency = serializers.CharField()
    gmv_by_currency = serializers.DictField(child=serializers.CharField())
    gmv = serializers.DecimalField(max_digits=16, decimal_places=2)
    refunds = serializers.DecimalField(max_digits=16, decimal_places=2)
    orders = serializers.IntegerField()
    units = serializers.IntegerField()
    unique_buyers = serializers.IntegerField()
    average_order_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    views = serializers.IntegerField()
    conversion_rate = serializers.DecimalField(max_digits=7, decimal_places=5)
    gmv_per_thousand_views = serializers.DecimalField(max_digits=14, decimal_places=2)
    host_commission = serializers.DecimalField(max_digits=14, decimal_places=2)
    computed_at = serializers.DateTimeField(allow_null=True)


class HostSessionMetricsApi(APIView):
    permission_classes = [IsHost]

    @extend_schema(responses=SessionMetricsOutputSerializer,
                   summary="My session's sales, views and commission (rolled up every few minutes)", tags=["host"])
    def get(self, request: Request, session_id: int) -> Response:
        session = services.own_session(host=request_host(request), session_id=session_id)
        metrics = SessionMetrics.objects.filter(session=session).first() or SessionMetrics(
            session=session, reporting_currency="USD")
        return Response(SessionMetricsOutputSerializer(metrics).data)
