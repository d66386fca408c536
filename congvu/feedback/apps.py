from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "congvu.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị và giám sát"

    def ready(self) -> None:
        from congvu.feedback import exports, rules  # noqa: F401 (dated settings, export job)
