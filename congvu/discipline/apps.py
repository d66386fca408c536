from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "congvu.discipline"
    verbose_name = "Kỷ luật"
