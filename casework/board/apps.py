from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "casework.board"
    label = "board"
    verbose_name = "Status board"
