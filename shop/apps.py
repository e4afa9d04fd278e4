from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Catalog and stock"

    def ready(self):
        from config import metrics

        from . import selectors

        metrics.register_gauges(selectors.metrics_gauges)
