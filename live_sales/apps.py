from django.apps import AppConfig


class LiveSalesConfig(AppConfig):
    name = "live_sales"
    verbose_name = "Live sales"
