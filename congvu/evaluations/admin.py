"""Evaluations in the admin: read-only, scoped by the permission module like every list.

Every write goes through ``congvu.evaluations.services`` (workflow, audit, score trail); the
admin only lets Sở Nội vụ and the system administrator look things up.
"""

from django.contrib import admin

from congvu.core.admin import ScopedAdmin
from congvu.core.permissions import Action
from congvu.evaluations.models import (
    CouncilDecision,
    CriterionScore,
    Evaluation,
    EvaluationCycle,
    ScoreChange,
    Transition,
)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CriterionScoreInline(_ReadOnlyInline):
    model = CriterionScore
    fields = readonly_fields = [
        "criterion",
        "self_score",
        "self_comment",
        "manager_score",
        "manager_reason",
        "final_score",
    ]


class TransitionInline(_ReadOnlyInline):
    model = Transition
    fields = readonly_fields = ["at", "move", "from_state", "to_state", "actor", "comment"]


@admin.register(EvaluationCycle)
class EvaluationCycleAdmin(ScopedAdmin):
    list_display = ["title", "subject", "period_kind", "year", "root_unit", "status", "end_date"]
    list_filter = ["status", "subject", "period_kind", "year"]
    search_fields = ["title"]
    scope_field = "root_unit_id"
    view_action = Action.EVALUATION_VIEW
    list_select_related = ["root_unit"]


@admin.register(Evaluation)
class EvaluationAdmin(ScopedAdmin):
    list_display = ["__str__", "unit", "state", "proposed_level", "final_level", "final_score"]
    list_filter = ["state", "final_level", "regime"]
    search_fields = ["staff__search_text", "staff__code", "unit__name"]
    view_action = Action.EVALUATION_VIEW
    list_select_related = ["staff", "unit", "cycle"]
    inlines = [CriterionScoreInline, TransitionInline]


@admin.register(CouncilDecision)
class CouncilDecisionAdmin(ScopedAdmin):
    list_display = ["__str__", "cycle", "unit", "actor", "over_cap_confirmed"]
    list_filter = ["over_cap_confirmed"]
    view_action = Action.EVALUATION_VIEW
    list_select_related = ["cycle", "unit", "actor"]


@admin.register(Transition)
class TransitionAdmin(ScopedAdmin):
    list_display = ["at", "evaluation", "move", "from_state", "to_state", "actor"]
    list_filter = ["move"]
    scope_field = "evaluation__unit_id"
    view_action = Action.EVALUATION_VIEW
    list_select_related = ["evaluation__staff", "evaluation__unit", "evaluation__cycle", "actor"]
    date_hierarchy = "at"


@admin.register(ScoreChange)
class ScoreChangeAdmin(ScopedAdmin):
    list_display = ["at", "evaluation", "criterion", "step", "before", "after", "reason", "actor"]
    list_filter = ["step"]
    scope_field = "evaluation__unit_id"
    view_action = Action.EVALUATION_VIEW
    list_select_related = [
        "evaluation__staff",
        "evaluation__unit",
        "evaluation__cycle",
        "criterion",
        "actor",
    ]
    date_hierarchy = "at"
