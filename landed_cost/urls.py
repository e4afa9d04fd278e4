from django.urls import path

from . import apis

app_name = "landed_cost"

urlpatterns = [
    path("landed-cost/quote/", apis.LandedCostQuoteApi.as_view(), name="landed-cost-quote"),
]
