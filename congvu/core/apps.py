from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "congvu.core"
    verbose_name = "Hệ thống"
