from django.urls import path

from . import apis

app_name = "payments"

urlpatterns = [
    path("orders/<order_number:number>/payment/", apis.OrderPaymentApi.as_view(), name="order-payment"),
    path("payments/stripe/webhook/", apis.StripeWebhookApi.as_view(), name="stripe-webhook"),
    path("operator/orders/<order_number:number>/refunds/", apis.OperatorRefundApi.as_view(), name="operator-refund"),
]
