from django.apps import AppConfig
from django.urls import register_converter

from orders.converters import OrderNumberConverter


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self):
        from config import metrics

        from . import selectors

        metrics.register_gauges(selectors.metrics_gauges)
        # Every route that names an order (orders, payments, fit) takes <order_number:number>.
        register_converter(OrderNumberConverter, "order_number")
