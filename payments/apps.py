from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments, refunds and payouts"

    def ready(self):
        from config import metrics

        from . import selectors

        metrics.register_gauges(selectors.metrics_gauges)
