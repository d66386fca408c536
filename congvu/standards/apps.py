from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "congvu.standards"
    verbose_name = "Chuẩn mực và tiêu chí"
