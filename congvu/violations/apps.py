from django.apps import AppConfig


class ViolationsConfig(AppConfig):
    """Violations of the standards, recommendations and their remedies (issue 12)."""

    name = "congvu.violations"
    label = "violations"
    verbose_name = "Vi phạm, kiến nghị và khắc phục"
    default_auto_field = "django.db.models.BigAutoField"
