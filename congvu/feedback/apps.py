from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "congvu.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị và giám sát"

    def ready(self) -> None:
        from congvu.feedback import rules  # noqa: F401 (registers its dated settings)
