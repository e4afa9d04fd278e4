from django.apps import AppConfig


class CustomsConfig(AppConfig):
    name = "customs"
    verbose_name = "Customs filing"

    def ready(self):
        from config import metrics

        from . import selectors

        metrics.register_gauges(selectors.metrics_gauges)
