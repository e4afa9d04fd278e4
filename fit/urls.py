from django.urls import path

from . import apis

app_name = "fit"

urlpatterns = [
    path("me/foot-profiles/", apis.FootProfileListApi.as_view(), name="foot-profile-list"),
    path("me/foot-profiles/export/", apis.FootProfileExportApi.as_view(), name="foot-profile-export"),
    path("me/foot-profiles/<int:profile_id>/", apis.FootProfileDetailApi.as_view(), name="foot-profile-detail"),
    path("catalog/products/<slug:slug>/size/", apis.SizeRecommendationApi.as_view(), name="size-recommendation"),
    path("orders/<order_number:number>/lines/<int:line_id>/fit/", apis.FitReportApi.as_view(), name="fit-report"),
]
