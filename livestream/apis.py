"""Live sessions for buyers (read) and operators (scheduling)."""

from __future__ import annotations

import hashlib
import json

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import validated_query
from config.errors import NotFound
from config.pagination import PageQuerySerializer
from config.schema import error_response
from shop.permissions import IsOperator

from . import selectors, services
from .models import Festival, Host, Studio


class SessionQuerySerializer(PageQuerySerializer):
    festival = serializers.SlugField(required=False)
    host = serializers.SlugField(required=False)
    category = serializers.SlugField(required=False, help_text="Sessions selling products of this category.")


class _HostRefSerializer(serializers.Serializer):
    handle = serializers.CharField()
    display_name = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    markets = serializers.ListField(child=serializers.CharField())


class LiveSessionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    festival = serializers.CharField(source="festival.slug")
    studio = serializers.CharField(source="studio.name")
    host = _HostRefSerializer()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = serializers.CharField()


class LiveSessionListApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = LiveSessionOutputSerializer

    @extend_schema(parameters=[SessionQuerySerializer], responses=LiveSessionOutputSerializer(many=True),
                   summary="Upcoming and live sessions", tags=["live"])
    def get(self, request: Request) -> Response:
        query = validated_query(request, SessionQuerySerializer)
        sessions = selectors.session_list(festival_slug=query.get("festival"), host_handle=query.get("host"),
                                          category_slug=query.get("category"))
        page = self.paginate_queryset(sessions)
        return self.get_paginated_response(LiveSessionOutputSerializer(page, many=True).data)


class LiveSessionDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=LiveSessionOutputSerializer, summary="One live session", tags=["live"])
    def get(self, request: Request, session_id: int) -> Response:
        return Response(LiveSessionOutputSerializer(selectors.session_get(session_id=session_id)).data)


class SessionScheduleInputSerializer(serializers.Serializer):
    festival = serializers.SlugField()
    studio_id = serializers.IntegerField(min_value=1)
    host = serializers.SlugField()
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()

    def validate(self, attrs):
        if attrs["ends_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError({"ends_at": ["Must be after starts_at."]})
        return attrs


class OperatorSessionScheduleApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=SessionScheduleInputSerializer, responses={
                   201: LiveSessionOutputSerializer, 404: error_response("No such festival, studio or host."),
                   409: error_response("The studio or the host is already booked then.")},
                   summary="Book a session in a studio for a host (operators)", tags=["operator"])
    def post(self, request: Request) -> Response:
        data = SessionScheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        festival = Festival.objects.filter(slug=values["festival"]).first()
        studio = Studio.objects.filter(pk=values["studio_id"]).first()
        host = Host.objects.filter(handle=values["host"]).first()
        for name, found in (("festival", festival), ("studio_id", studio), ("host", host)):
            if found is None:
                raise NotFound(f"No such {name.split('_')[0]}.", fields={name: ["Unknown."]})
        session = services.live_session_schedule(festival=festival, studio=studio, host=host, title=values["title"],
                                                 starts_at=values["starts_at"], ends_at=values["ends_at"])
        return Response(LiveSessionOutputSerializer(session).data, status=status.HTTP_201_CREATED)


class _PriceSerializer(serializers.Serializer):
    amount = serializers.CharField()
    currency = serializers.CharField()


class _PinnedSerializer(serializers.Serializer):
    lineup_item = serializers.IntegerField()
    product = serializers.CharField()
    name = serializers.CharField()
    live_price = _PriceSerializer()


class _DealRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.CharField()
    name = serializers.CharField()
    price = _PriceSerializer()
    per_buyer_limit = serializers.IntegerField()
    ends_at = serializers.DateTimeField()


class _DealSizeStateSerializer(serializers.Serializer):
    sku = serializers.CharField()
    size_label = serializers.CharField()
    remaining = serializers.IntegerField(help_text="Units of this size that can still be claimed; at 0 a claim "
                                                   "is a 409 deal_size_sold_out.")


class _DealStateSerializer(_DealRefSerializer):
    remaining = serializers.IntegerField(help_text="Units that can still be claimed.")
    held = serializers.IntegerField(help_text="Units held by buyers' claims, waiting for their checkout.")
    sold = serializers.IntegerField(help_text="Units in orders.")
    units = serializers.IntegerField(help_text="The deal's cap.")
    sold_out = serializers.BooleanField(help_text="Nothing left to claim (held units may still come back).")
    waitlist = serializers.IntegerField(help_text="Buyers waiting for units to come back.")
    sizes = _DealSizeStateSerializer(many=True, help_text="The sizes the deal set stock aside for.")


class _UpcomingDealSerializer(_DealRefSerializer):
    units = serializers.IntegerField()
    starts_at = serializers.DateTimeField(help_text="On the server's clock (server_time).")


class SessionStateSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    status = serializers.CharField()
    pinned = _PinnedSerializer(allow_null=True)
    deals = _DealStateSerializer(many=True)
    upcoming_deals = _UpcomingDealSerializer(many=True, help_text="Announced deals; a claim before the start is "
                                                                  "a 409 deal_not_active.")
    server_time = serializers.DateTimeField(help_text="The server's clock: count down to starts_at against it.")


class LiveSessionStateApi(APIView):
    """Cheap polling: an ETag over the state; `If-None-Match` with the same tag answers 304."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: SessionStateSerializer, 304: None},
                   summary="Pinned product and running deals of a session (poll with If-None-Match)", tags=["live"])
    def get(self, request: Request, session_id: int) -> Response:
        state = selectors.session_state(session_id=session_id)
        etag = '"' + hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:32] + '"'
        if request.headers.get("If-None-Match") == etag:
            response = Response(status=304)
        else:  # the server's clock rides along outside the ETag, so an unchanged state still answers 304
            response = Response({**state, "server_time": timezone.now().isoformat()})
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        return response


class AutoScheduleOutputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="The solver's status: OPTIMAL, FEASIBLE...")
    placed = serializers.IntegerField()
    unplaced = serializers.DictField(child=serializers.CharField(), help_text="Request id -> why not placed.")


class PublishOutputSerializer(serializers.Serializer):
    published = serializers.IntegerField()


def _festival(slug: str) -> Festival:
    festival = Festival.objects.filter(slug=slug).first()
    if festival is None:
        raise NotFound("No such festival.")
    return festival


class OperatorAutoScheduleApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=None, responses=AutoScheduleOutputSerializer,
                   summary="Place the festival's session requests as draft sessions (CP-SAT, bounded)",
                   tags=["operator"])
    def post(self, request: Request, slug: str) -> Response:
        return Response(services.festival_auto_schedule(festival_id=_festival(slug).pk))


class OperatorPublishApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=None, responses=PublishOutputSerializer, summary="Publish the festival's drafts",
                   tags=["operator"])
    def post(self, request: Request, slug: str) -> Response:
        return Response({"published": services.festival_publish_drafts(festival_id=_festival(slug).pk)})


class FestivalMetricsOutputSerializer(serializers.Serializer):
    festival = serializers.CharField()
    sessions = serializers.IntegerField()
    reporting_currency = serializers.CharField()
    gmv = serializers.DecimalField(max_digits=16, decimal_places=2)
    refunds = serializers.DecimalField(max_digits=16, decimal_places=2)
    gmv_by_currency = serializers.DictField(child=serializers.CharField())
    orders = serializers.IntegerField()
    units = serializers.IntegerField()
    views = serializers.IntegerField()
    average_order_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    gmv_per_thousand_views = serializers.DecimalField(max_digits=14, decimal_places=2)
    host_commission = serializers.DecimalField(max_digits=14, decimal_places=2)


class OperatorFestivalMetricsApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(responses=FestivalMetricsOutputSerializer, summary="A festival's sales, views and commissions",
                   tags=["operator"])
    def get(self, request: Request, slug: str) -> Response:
        return Response(FestivalMetricsOutputSerializer(selectors.festival_metrics(festival_slug=slug)).data)
