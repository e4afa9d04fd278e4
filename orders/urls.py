from django.urls import path

from . import apis, customs_apis, fit_apis, live_apis, payment_apis

app_name = "orders"

urlpatterns = [
    path("auth/register/", apis.RegisterApi.as_view(), name="register"),
    path("auth/login/", apis.LoginApi.as_view(), name="login"),
    path("auth/refresh/", apis.RefreshApi.as_view(), name="refresh"),
    path("me/", apis.ProfileApi.as_view(), name="profile"),
    path("me/addresses/", apis.AddressListApi.as_view(), name="address-list"),
    path("me/addresses/<int:address_id>/", apis.AddressDetailApi.as_view(), name="address-detail"),
    path("me/foot-profiles/", fit_apis.FootProfileListApi.as_view(), name="foot-profile-list"),
    path("me/foot-profiles/export/", fit_apis.FootProfileExportApi.as_view(), name="foot-profile-export"),
    path("me/foot-profiles/<int:profile_id>/", fit_apis.FootProfileDetailApi.as_view(), name="foot-profile-detail"),
    path("catalog/products/<slug:slug>/size/", fit_apis.SizeRecommendationApi.as_view(), name="size-recommendation"),
    path("cart/", apis.CartApi.as_view(), name="cart"),
    path("cart/lines/", apis.CartLineListApi.as_view(), name="cart-line-list"),
    path("cart/lines/<int:line_id>/", apis.CartLineDetailApi.as_view(), name="cart-line-detail"),
    path("checkout/", apis.CheckoutApi.as_view(), name="checkout"),
    path("landed-cost/quote/", customs_apis.LandedCostQuoteApi.as_view(), name="landed-cost-quote"),
    path("orders/", apis.OrderListApi.as_view(), name="order-list"),
    path("orders/<str:number>/", apis.OrderDetailApi.as_view(), name="order-detail"),
    path("orders/<str:number>/payment/", apis.OrderPaymentApi.as_view(), name="order-payment"),
    path("orders/<str:number>/lines/<int:line_id>/fit/", fit_apis.FitReportApi.as_view(), name="fit-report"),
    path("payments/stripe/webhook/", payment_apis.StripeWebhookApi.as_view(), name="stripe-webhook"),
    path("host/sessions/<int:session_id>/orders/", live_apis.HostSessionOrdersApi.as_view(), name="host-orders"),
    path("operator/orders/<str:number>/refunds/", payment_apis.OperatorRefundApi.as_view(), name="operator-refund"),
]
