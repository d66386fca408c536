from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "congvu.reports"
    verbose_name = "Phản ánh, kiến nghị và giám sát"
