"""Scoped reads of the register, and the shape classification consumes."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import permissions
from congvu.core.dated_store import setting_overrides_on
from congvu.core.permissions import Action
from congvu.core.text import fold, nfc
from congvu.discipline import rules
from congvu.discipline.access import DISCIPLINE, DISCIPLINE_CASE
from congvu.discipline.models import CasePause, DisciplineCase, DisciplineRecord
from congvu.discipline.rules import FORMS, Discipline
from congvu.organisations import rules as org_rules
from congvu.organisations import selectors as org_selectors
from congvu.organisations.graph import org_graph
from congvu.organisations.models import Staff, Unit
from congvu.organisations.selectors import unit_lineage_ids


def discipline_list_for_user(
    *, user, action: Action = Action.DISCIPLINE_VIEW
) -> QuerySet[DisciplineRecord]:
    """Decisions about staff currently in the user's scope (or recorded under a unit in it)."""
    return DISCIPLINE.filter(user, action, DisciplineRecord.objects.select_related("staff", "unit"))


def discipline_get_for_user(
    *, user, pk: int, action: Action = Action.DISCIPLINE_VIEW
) -> DisciplineRecord | None:
    return permissions.first_by_pk(discipline_list_for_user(user=user, action=action), pk)


IN_FORCE, LAPSED, REVOKED = "hieu_luc", "het_hieu_luc", "da_huy"
STATUSES: dict[str, str] = {
    IN_FORCE: "Đang có hiệu lực",
    LAPSED: "Hết hiệu lực",
    REVOKED: "Đã hủy bỏ",
}


@dataclass(frozen=True)
class RegisterFilter:
    """What the register page and its export filter on (all optional)."""

    q: str = ""
    unit: Unit | None = None
    year: int | None = None
    form: str = ""
    status: str = ""
    staff: Staff | None = None


FILTER_FIELDS = ("q", "don_vi", "nam", "hinh_thuc", "trang_thai", "can_bo")
"""The register's query parameters: the page's, and the export job's saved parameters."""


def register_filter_parse(*, user, raw: dict[str, str]) -> tuple[RegisterFilter, list[str]]:
    """The filter from the raw values (a unit or person outside ``user``'s scope is an error,
    never a filter), and what was wrong, in Vietnamese."""
    errors = []
    unit = staff = year = None
    if raw.get("don_vi"):
        unit = org_selectors.unit_get_by_code_for_user(user=user, code=raw["don_vi"])
        if unit is None:
            errors.append(
                _("Không tìm thấy đơn vị %(code)s trong phạm vi của bạn.") % {"code": raw["don_vi"]}
            )
    if raw.get("nam"):
        if raw["nam"].isdigit() and 1990 <= int(raw["nam"]) <= 2100:
            year = int(raw["nam"])
        else:
            errors.append(_("Năm không hợp lệ."))
    if raw.get("hinh_thuc") and raw["hinh_thuc"] not in FORMS:
        errors.append(_("Hình thức kỷ luật không có trong danh mục."))
    if raw.get("trang_thai") and raw["trang_thai"] not in STATUSES:
        errors.append(_("Trạng thái không hợp lệ."))
    if raw.get("can_bo"):
        if raw["can_bo"].isdigit():
            staff = org_selectors.staff_get_for_user(
                user=user, pk=int(raw["can_bo"]), action=Action.DISCIPLINE_VIEW
            )
        if staff is None:
            errors.append(_("Không tìm thấy cán bộ trong phạm vi của bạn."))
    where = RegisterFilter(
        q=raw.get("q", ""),
        unit=unit,
        year=year,
        form=raw.get("hinh_thuc", ""),
        status=raw.get("trang_thai", ""),
        staff=staff,
    )
    return where, errors


def discipline_register(
    *, user, where: RegisterFilter, action: Action = Action.DISCIPLINE_VIEW
) -> QuerySet[DisciplineRecord]:
    """The scoped register, filtered: ``unit`` with its subunits today and the units that
    rolled up into it (decisions keep the unit of their time); ``year`` of taking effect;
    ``q`` words of the name or code, without diacritics."""
    qs = discipline_list_for_user(user=user, action=action)
    if where.unit is not None:
        children = org_rules.children_map(org_graph().as_of(timezone.localdate()))
        ids = sorted(
            org_rules.descendants(children, [where.unit.pk]) | unit_lineage_ids(unit=where.unit)
        )
        qs = qs.filter(Q(unit_id__in=ids) | Q(staff__unit_id__in=ids))
    if where.staff is not None:
        qs = qs.filter(staff=where.staff)
    if where.year is not None:
        qs = qs.filter(effective_from__year=where.year)
    if where.form:
        qs = qs.filter(form=where.form)
    today = timezone.localdate()
    in_force = Q(revoked_at__isnull=True, effective_from__lte=today) & (
        Q(effective_to__isnull=True) | Q(effective_to__gt=today)
    )
    if where.status == IN_FORCE:
        qs = qs.filter(in_force)
    elif where.status == LAPSED:
        qs = qs.filter(revoked_at__isnull=True).exclude(in_force)
    elif where.status == REVOKED:
        qs = qs.filter(revoked_at__isnull=False)
    for word in nfc(where.q).split():
        qs = qs.filter(
            Q(staff__search_text__contains=fold(word)) | Q(decision_number__icontains=word)
        )
    return qs.order_by("-effective_from", "staff__sort_key", "-pk")


def discipline_years(*, user) -> list[int]:
    """The years in which decisions in the user's scope took effect, newest first."""
    return sorted(
        {d.year for d in discipline_list_for_user(user=user).dates("effective_from", "year")},
        reverse=True,
    )


def disciplines_for_classification(*, staff_ids: list[int]) -> dict[int, list[Discipline]]:
    """Every decision in force (not revoked) per staff member, as the pure rules want it."""
    out: dict[int, list[Discipline]] = {}
    rows = DisciplineRecord.objects.filter(
        staff_id__in=staff_ids, revoked_at__isnull=True
    ).values_list("staff_id", "form", "effective_from", "duty_related", "system")
    for staff_id, form, effective, duty, system in rows:
        out.setdefault(staff_id, []).append(Discipline(form, effective, duty, system))
    return out


@dataclass(frozen=True)
class ActiveEffect:
    """One effect of a decision in force on a day, for a person's page."""

    record: DisciplineRecord
    effect: str
    label: str
    last_day: date | None  # None: open-ended
    months: int | None
    source: str


def active_effects_for_staff(*, user, staff: Staff, day: date) -> list[ActiveEffect]:
    """The effects of the person's administrative decisions that the user may see and that
    hold on ``day`` (``rules.effects``): a revoked decision has none (revoking reverses them).
    Empty when the user may not see the person's discipline."""
    records = (
        discipline_list_for_user(user=user)
        .filter(staff=staff, system="administrative", revoked_at__isnull=True)
        .order_by("effective_from", "pk")
    )
    found = []
    for record in records:
        decision = Discipline(record.form, record.effective_from, record.duty_related)
        effects, _used = rules.effects(decision, record.category)
        for effect in effects:
            if effect.start <= day and (effect.until is None or day < effect.until):
                found.append(
                    ActiveEffect(
                        record,
                        effect.effect,
                        _(rules.EFFECT_NAMES[effect.effect]),
                        effect.until - timedelta(days=1) if effect.until else None,
                        effect.months,
                        effect.source,
                    )
                )
    return found


# --- Discipline cases (vụ việc kỷ luật) ------------------------------------------------------


def case_list_for_user(
    *, user, action: Action = Action.DISCIPLINE_VIEW
) -> QuerySet[DisciplineCase]:
    """Cases about staff in the user's scope today (or opened under a unit in it); never a
    case about the user themself (``access.DISCIPLINE_CASE``)."""
    return DISCIPLINE_CASE.filter(
        user, action, DisciplineCase.objects.select_related("staff", "unit", "decision")
    )


def case_get_for_user(
    *, user, pk: int, action: Action = Action.DISCIPLINE_VIEW
) -> DisciplineCase | None:
    return permissions.first_by_pk(case_list_for_user(user=user, action=action), pk)


@dataclass(frozen=True)
class CaseRow:
    """A case with its legal timeline on a day (``rules.case_check``)."""

    case: DisciplineCase
    check: rules.CaseCheck
    paused_days: int
    as_of: date

    @property
    def active(self) -> bool:
        return self.case.status in rules.CASE_ACTIVE

    @property
    def overdue(self) -> bool:
        """Past the processing limit and still not ended: flagged, never closed."""
        return self.active and self.check.overdue


def case_violation(
    case: DisciplineCase, intervals: Iterable[tuple[date, date | None]], day: date
) -> rules.Violation:
    """The case as the pure rules want it, with the days paused up to ``day``."""
    return rules.Violation(
        committed_on=case.committed_on,
        detected_on=case.detected_on,
        level=case.level,
        no_limitation=case.no_limitation or None,
        complex=case.complex,
        paused_days=rules.paused_days(intervals, day),
    )


def case_decision(case: DisciplineCase) -> Discipline | None:
    """The case's decision as the rules read it; none once revoked (its effects are gone)."""
    record = case.decision
    if record is None or record.revoked_at is not None:
        return None
    return Discipline(record.form, record.effective_from, record.duty_related, record.system)


def case_row(
    case: DisciplineCase,
    intervals: Iterable[tuple[date, date | None]],
    day: date,
    overrides: Mapping[str, object] | None = None,
    decision: Discipline | None = None,
) -> CaseRow:
    """The timeline of ``case`` on ``day``: an active case today; an ended one on the day it
    ended; a decided one on its decision (``decision`` replaces it: a decision about to be
    recorded). The paused days count up to that day; the province's values are those in force
    on the detection day (the case is handled under them)."""
    intervals = list(intervals)
    decision = decision or case_decision(case)
    as_of = day
    if case.status not in rules.CASE_ACTIVE and case.closed_on is not None:
        as_of = min(day, case.closed_on)
    upto = decision.effective if decision is not None else as_of
    check = rules.case_check(
        as_of=as_of,
        category=case.category,
        is_leader=case.is_leader,
        violation=case_violation(case, intervals, upto),
        decision=decision,
        overrides=overrides,
    )
    return CaseRow(case, check, rules.paused_days(intervals, upto), as_of)


def case_rows(cases: Iterable[DisciplineCase], day: date) -> list[CaseRow]:
    """``case_row`` of each case, from two queries whatever their number (pauses, overrides)."""
    cases = list(cases)
    pauses: dict[int, list[tuple[date, date | None]]] = {case.pk: [] for case in cases}
    for case_id, start, end in CasePause.objects.filter(case_id__in=list(pauses)).values_list(
        "case_id", "paused_from", "paused_to"
    ):
        pauses[case_id].append((start, end))
    overrides = setting_overrides_on(case.detected_on for case in cases)
    return [case_row(case, pauses[case.pk], day, overrides.get(case.detected_on)) for case in cases]


def case_overdue_for_user(*, user, day: date) -> list[CaseRow]:
    """The user's cases past their processing limit and not ended, the oldest deadline first."""
    active = case_list_for_user(user=user).filter(status__in=rules.CASE_ACTIVE)
    rows = [row for row in case_rows(active, day) if row.overdue]
    return sorted(rows, key=lambda row: (row.check.processing_deadline, row.case.pk))


def case_handler_ids(*, case: DisciplineCase, day: date) -> list[int]:
    """The logins who handle ``case`` on ``day``: ``discipline.manage`` over the person's
    unit or the case's unit, from a role held over units (a system administrator's all-units
    role is not a handler's), never the person themself."""
    from congvu.accounts.models import User

    roles = tuple(
        role
        for role, actions in permissions.ROLE_ACTIONS.items()
        if Action.DISCIPLINE_MANAGE in actions and role != "admin"
    )
    found: set[int] = set()
    for unit_id in {case.staff.unit_id, case.unit_id} - {None}:
        for ids in permissions.holders(unit_id, Action.DISCIPLINE_MANAGE, roles, day=day).values():
            found |= ids
    person = set(User.objects.filter(staff_id=case.staff_id).values_list("pk", flat=True))
    return sorted(found - person)
