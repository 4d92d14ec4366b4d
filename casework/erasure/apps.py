from django.apps import AppConfig


class ErasureConfig(AppConfig):
    name = "casework.erasure"
    label = "erasure"
    verbose_name = "Right to erasure"
