from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders"

    def ready(self):
        from config import metrics

        from . import selectors

        metrics.register_gauges(selectors.metrics_gauges)
