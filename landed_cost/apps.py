from django.apps import AppConfig


class LandedCostConfig(AppConfig):
    name = "landed_cost"
    verbose_name = "Duties, taxes and shipping rules"
