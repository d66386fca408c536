from django.apps import AppConfig


class EmulationConfig(AppConfig):
    """Emulation and commendation (thi đua, khen thưởng), issue 13: movements, registrations,
    clusters, the history and the eligibility engine (``congvu eligibility``), nominations,
    the council's secret ballot, decisions, revocation, the honour board."""

    name = "congvu.emulation"
    label = "emulation"
    verbose_name = "Thi đua, khen thưởng"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The board's dated settings and the movements' job kinds, registered at start.
        from congvu.emulation import board_rules, exports_movements  # noqa: F401
