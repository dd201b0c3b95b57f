"""Django app for the product early-warning system (R-5.4)."""

from django.apps import AppConfig


class EarlyWarningConfig(AppConfig):
    name = "serviceloop.earlywarning"
    label = "earlywarning"
    verbose_name = "Product early warning"
