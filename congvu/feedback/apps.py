from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "congvu.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị và giám sát"
