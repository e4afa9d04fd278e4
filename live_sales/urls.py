from django.urls import path

from . import apis

app_name = "live_sales"

urlpatterns = [
    path("host/sessions/<int:session_id>/orders/", apis.HostSessionOrdersApi.as_view(), name="host-orders"),
]
