from django.contrib import admin

from congvu.core.admin import ScopedAdmin
from congvu.core.permissions import Action
from congvu.discipline.models import DisciplineRecord


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(ScopedAdmin):
    list_display = [
        "staff",
        "form",
        "decision_number",
        "decision_date",
        "effective_from",
        "effective_to",
        "revoked_at",
    ]
    list_filter = ["form", "system", "duty_related"]
    search_fields = ["decision_number", "staff__search_text"]
    scope_field = "staff__unit_id"
    view_action = Action.DISCIPLINE_VIEW
    list_select_related = ["staff"]
