from django.urls import path

from . import apis

app_name = "orders"

urlpatterns = [
    path("cart/", apis.CartApi.as_view(), name="cart"),
    path("cart/lines/", apis.CartLineListApi.as_view(), name="cart-line-list"),
    path("cart/lines/<int:line_id>/", apis.CartLineDetailApi.as_view(), name="cart-line-detail"),
    path("checkout/", apis.CheckoutApi.as_view(), name="checkout"),
    path("orders/", apis.OrderListApi.as_view(), name="order-list"),
    path("orders/<order_number:number>/", apis.OrderDetailApi.as_view(), name="order-detail"),
]
