from django.urls import path

from . import apis

app_name = "livestream"

urlpatterns = [
    path("live/sessions/", apis.LiveSessionListApi.as_view(), name="session-list"),
    path("live/sessions/<int:session_id>/", apis.LiveSessionDetailApi.as_view(), name="session-detail"),
    path("operator/live/sessions/", apis.OperatorSessionScheduleApi.as_view(), name="operator-session-schedule"),
]
