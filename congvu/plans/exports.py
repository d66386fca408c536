"""The consolidated periodic report as a background job (``core.jobs``): for a province's
hundreds of units the Word file is long work, so the page starts a job and shows its progress
(QUALITY.md B4; decision 67)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congvu.core import jobs, permissions
from congvu.core.official_docx import DOCX_TYPE
from congvu.core.permissions import Action
from congvu.organisations.models import Unit
from congvu.plans import documents, reporting, selectors

CONSOLIDATED_KIND = "plans.consolidated"


def consolidated_produce(run: jobs.JobRun) -> int:
    """Sở Nội vụ's consolidated report on a plan for a year, with the creator's rights when
    the job runs: the plan must still be theirs to manage, the units those in their scope."""
    plan = selectors.plan_get_for_user(user=run.user, pk=run.parameters.get("plan"))
    issuer = Unit.objects.filter(pk=run.parameters.get("unit")).first()
    if plan is None or issuer is None or not permissions.can(run.user, Action.PLAN_MANAGE, issuer):
        raise PermissionDenied
    year = int(run.parameters.get("year", 0))
    today = timezone.localdate()
    rows = reporting.cycle_board(user=run.user, plan=plan, year=year, today=today)
    run.begin(total=len(rows))
    content = documents.consolidated_docx(plan=plan, year=year, rows=rows, issuer=issuer, day=today)
    run.path.write_bytes(content)
    run.progress(len(rows))
    return len(rows)


jobs.kind_register(
    jobs.JobKind(
        name=CONSOLIDATED_KIND,
        label=_("Báo cáo tổng hợp kết quả thực hiện kế hoạch"),
        stem="bao-cao-tong-hop",
        produce=consolidated_produce,
        content_type=DOCX_TYPE,
        parameter_labels={"plan": _("Kế hoạch"), "year": _("Năm"), "unit": _("Đơn vị")},
    )
)
