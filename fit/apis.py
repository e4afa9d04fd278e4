"""Foot profiles (the buyer's own, personal data) and size recommendations."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as accounts_selectors
from config.api import validated_query
from config.schema import error_response
from fit import services as fit
from fit.models import FootProfile
from shop import sizing
from shop.models import SizeSystem

DEFAULT_SIZE_SYSTEM = SizeSystem.EU.value


class FootProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=60, default="Me")
    gender = serializers.ChoiceField(choices=["men", "women"], default="men")
    left_length_mm = serializers.IntegerField(min_value=1, max_value=1000)
    right_length_mm = serializers.IntegerField(min_value=1, max_value=1000)
    left_girth_mm = serializers.IntegerField(min_value=1, max_value=1000, required=False, allow_null=True)
    right_girth_mm = serializers.IntegerField(min_value=1, max_value=1000, required=False, allow_null=True)
    method = serializers.ChoiceField(choices=FootProfile.Method.choices, default="tape")
    measured_on = serializers.DateField()


class FootProfileListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=FootProfileSerializer(many=True), summary="My foot profiles (view or export)",
                   tags=["fit"])
    def get(self, request: Request) -> Response:
        return Response(FootProfileSerializer(FootProfile.objects.filter(buyer=request.user), many=True).data)

    @extend_schema(request=FootProfileSerializer, responses={201: FootProfileSerializer},
                   summary="Add a foot profile (lengths and ball girths in mm)", tags=["fit"])
    def post(self, request: Request) -> Response:
        data = FootProfileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = fit.foot_profile_create(buyer=request.user, **data.validated_data)
        return Response(FootProfileSerializer(profile).data, status=status.HTTP_201_CREATED)


class FootProfileExportApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=FootProfileSerializer(many=True),
                   summary="Download all my foot data (a JSON file)", tags=["fit"])
    def get(self, request: Request) -> Response:
        response = Response(FootProfileSerializer(FootProfile.objects.filter(buyer=request.user), many=True).data)
        response["Content-Disposition"] = 'attachment; filename="my-foot-profiles.json"'
        return response


class FootProfileDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None}, summary="Delete a foot profile", tags=["fit"])
    def delete(self, request: Request, profile_id: int) -> Response:
        fit.foot_profile_delete(buyer=request.user, profile_id=profile_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SizeQuerySerializer(serializers.Serializer):
    profile = serializers.IntegerField(min_value=1)
    system = serializers.CharField(required=False, help_text=(
        f"One of {', '.join(sizing.SYSTEMS)}. Defaults to the size system stored on my profile (EU unless I "
        "chose another)."))


class SizeRecommendationSerializer(serializers.Serializer):
    foot_length_mm = serializers.IntegerField()
    nominal_length_mm = serializers.IntegerField()
    width_class = serializers.CharField(allow_null=True)
    sku = serializers.CharField(source="variant.sku")
    size_label = serializers.CharField(source="variant.size_label", help_text="As the product labels it.")
    system = serializers.CharField()
    size_in_system = serializers.CharField(help_text="The same size in the system asked for.")
    basis = serializers.CharField()
    confidence = serializers.CharField()
    fit_note = serializers.CharField()
    learned_offset_mm = serializers.IntegerField(help_text="What buyers' fit reports on this last add.")


class FitReportInputSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["too_small", "right", "too_large", "too_narrow", "too_wide"])


class FitReportOutputSerializer(serializers.Serializer):
    order_line = serializers.IntegerField(source="order_line_id")
    verdict = serializers.CharField()
    created_at = serializers.DateTimeField()


class FitReportApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=FitReportInputSerializer, responses={
                   201: FitReportOutputSerializer,
                   409: error_response("The parcel has not arrived yet, or this line's fit was already reported.")},
                   summary="Say how a delivered line fitted", tags=["fit"])
    def post(self, request: Request, number: str, line_id: int) -> Response:
        data = FitReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = fit.fit_report(buyer=request.user, order_number=number, order_line_id=line_id,
                                verdict=data.validated_data["verdict"])
        return Response(FitReportOutputSerializer(report).data, status=status.HTTP_201_CREATED)


class SizeRecommendationApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[SizeQuerySerializer], responses=SizeRecommendationSerializer,
                   summary="My size for a product, from a foot profile", tags=["fit"])
    def get(self, request: Request, slug: str) -> Response:
        query = validated_query(request, SizeQuerySerializer)
        system = query.get("system")
        if not system:
            preferences = accounts_selectors.buyer_preferences(user=request.user)
            system = preferences.size_system if preferences is not None else DEFAULT_SIZE_SYSTEM
        result = fit.size_recommend(buyer=request.user, product_slug=slug, profile_id=query["profile"],
                                    system=system.upper())
        return Response(SizeRecommendationSerializer(result).data)
