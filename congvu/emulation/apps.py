from django.apps import AppConfig


class EmulationConfig(AppConfig):
    """Emulation and commendation (thi đua, khen thưởng), issue 13: first, the eligibility
    engine and its command (``congvu eligibility``)."""

    name = "congvu.emulation"
    label = "emulation"
    verbose_name = "Thi đua, khen thưởng"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from congvu.emulation import exports_movements  # noqa: F401 (its job kinds)
