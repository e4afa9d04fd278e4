"""What a host sees of the orders placed through their session's deals (no buyer's personal data)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from livestream.host_apis import IsHost, request_host
from livestream.services import own_session
from orders.models import OrderLine, OrderStatus


class _RecentSerializer(serializers.Serializer):
    number = serializers.CharField()
    product = serializers.CharField()
    quantity = serializers.IntegerField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class HostSessionOrdersOutputSerializer(serializers.Serializer):
    orders = serializers.IntegerField()
    units = serializers.IntegerField()
    recent = _RecentSerializer(many=True)


class HostSessionOrdersApi(APIView):
    permission_classes = [IsHost]

    @extend_schema(responses=HostSessionOrdersOutputSerializer,
                   summary="Orders arriving through my session's deals (live feed for the console)", tags=["host"])
    def get(self, request: Request, session_id: int) -> Response:
        session = own_session(host=request_host(request), session_id=session_id)
        lines = (OrderLine.objects.filter(deal__session=session)
                 .exclude(order__status__in=[OrderStatus.CANCELLED, OrderStatus.EXPIRED])
                 .select_related("order").order_by("-order__created_at", "-id"))
        rows = list(lines[:200])
        recent = [{"number": line.order.number, "product": line.product_name, "quantity": line.quantity,
                   "status": line.order.status, "created_at": line.order.created_at} for line in rows[:20]]
        return Response({"orders": len({line.order_id for line in rows}),
                         "units": sum(line.quantity for line in rows), "recent": recent})
