from django.apps import AppConfig


class LivestreamConfig(AppConfig):
    name = "livestream"
    verbose_name = "Live commerce"
