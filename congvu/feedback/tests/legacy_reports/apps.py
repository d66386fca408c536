from django.apps import AppConfig


class LegacyReportsConfig(AppConfig):
    """Today's models under the label they had before the rename (tables ``reports_*``)."""

    name = "congvu.feedback"
    label = "reports"
    verbose_name = "Phản ánh, kiến nghị và giám sát"
