from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """Inspections of public service culture (kiểm tra công vụ) — issue 12, first part."""

    name = "congvu.inspections"
    label = "inspections"
    verbose_name = "Kiểm tra văn hóa công vụ"
    default_auto_field = "django.db.models.BigAutoField"
