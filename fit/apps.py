from django.apps import AppConfig


class FitConfig(AppConfig):
    name = "fit"
    verbose_name = "Fit and sizes"
