from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "congvu.discipline"
    verbose_name = "Kỷ luật"

    def ready(self) -> None:
        from congvu.discipline import exports, rules  # noqa: F401 (dated settings, export job)
