from django.urls import path

from . import apis, claim_apis, console, host_apis, realtime, sale_apis

app_name = "livestream"

console_urlpatterns = [
    path("", console.console_home, name="console"),
    path("sessions/<int:session_id>/", console.console_session, name="console-session"),
]

urlpatterns = [
    path("live/sessions/", apis.LiveSessionListApi.as_view(), name="session-list"),
    path("live/sessions/<int:session_id>/", apis.LiveSessionDetailApi.as_view(), name="session-detail"),
    path("live/sessions/<int:session_id>/state/", apis.LiveSessionStateApi.as_view(), name="session-state"),
    path("live/sessions/<int:session_id>/events/", realtime.session_events, name="session-events"),
    path("live/deals/<int:deal_id>/claims/", claim_apis.DealClaimApi.as_view(), name="deal-claim"),
    path("live/claims/<int:claim_id>/", claim_apis.DealClaimDetailApi.as_view(), name="claim-detail"),
    path("live/deals/<int:deal_id>/waitlist/", claim_apis.DealWaitlistApi.as_view(), name="deal-waitlist"),
    path("flash-sales/", sale_apis.FlashSaleListApi.as_view(), name="flash-sale-list"),
    path("operator/flash-sales/", sale_apis.OperatorFlashSaleLaunchApi.as_view(), name="operator-flash-sale-list"),
    path("operator/flash-sales/<int:deal_id>/end/", sale_apis.OperatorFlashSaleEndApi.as_view(),
         name="operator-flash-sale-end"),
    path("operator/live/sessions/", apis.OperatorSessionScheduleApi.as_view(), name="operator-session-schedule"),
    path("operator/live/festivals/<slug:slug>/auto-schedule/", apis.OperatorAutoScheduleApi.as_view(),
         name="operator-auto-schedule"),
    path("operator/live/festivals/<slug:slug>/publish/", apis.OperatorPublishApi.as_view(), name="operator-publish"),
    path("operator/live/festivals/<slug:slug>/metrics/", apis.OperatorFestivalMetricsApi.as_view(),
         name="operator-festival-metrics"),
    path("host/sessions/<int:session_id>/lineup/", host_apis.HostLineupRequestApi.as_view(), name="host-lineup"),
    path("host/lineup/<int:item_id>/accept-counter/", host_apis.HostLineupAcceptCounterApi.as_view(),
         name="host-lineup-accept"),
    path("host/sessions/<int:session_id>/go-live/", host_apis.HostSessionGoLiveApi.as_view(), name="host-go-live"),
    path("host/sessions/<int:session_id>/end/", host_apis.HostSessionEndApi.as_view(), name="host-end"),
    path("host/sessions/<int:session_id>/pin/", host_apis.HostPinApi.as_view(), name="host-pin"),
    path("host/sessions/<int:session_id>/deals/", host_apis.HostDealLaunchApi.as_view(), name="host-deal-launch"),
    path("host/deals/<int:deal_id>/end/", host_apis.HostDealEndApi.as_view(), name="host-deal-end"),
    path("host/sessions/<int:session_id>/metrics/", host_apis.HostSessionMetricsApi.as_view(), name="host-metrics"),
    path("live/sessions/<int:session_id>/views/", host_apis.ViewsIngestApi.as_view(), name="session-views"),
]
