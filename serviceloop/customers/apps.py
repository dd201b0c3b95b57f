from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "serviceloop.customers"
    label = "customers"
