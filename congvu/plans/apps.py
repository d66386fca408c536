from django.apps import AppConfig


class PlansConfig(AppConfig):
    """Plans and the periodic reporting cycle (kế hoạch, báo cáo định kỳ) — issue 11."""

    name = "congvu.plans"
    label = "plans"
    verbose_name = "Kế hoạch và báo cáo định kỳ"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congvu.plans import exports  # noqa: F401 (the consolidated report's job kind)
