from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "casework.letters"
    label = "letters"
    verbose_name = "Appeal letters"
