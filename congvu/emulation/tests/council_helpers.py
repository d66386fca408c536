"""Builders for the council's tests: checked nominations made directly (the nominations' own
workflow is tested elsewhere), council members, a session run to its end."""

from __future__ import annotations

from datetime import date

from congvu.accounts.services import role_assign
from congvu.core.actors import SYSTEM
from congvu.emulation import rules, services_council
from congvu.emulation.models import Initiative, Nomination
from congvu.testing import make_user


def nomination(p, *, who="syt_cc", award=rules.LDTT, year=2025, state=rules.CHECKED, unit=None):
    staff = p.staff.get(who)
    return Nomination.objects.create(
        unit=unit or (staff.unit if staff else p.units["syt"]),
        staff=staff,
        subject_unit=None if staff else p.units[who],
        award=award,
        year=year,
        summary=f"Hoàn thành xuất sắc nhiệm vụ năm {year}",
        state=state,
        created_by=p.users["head_syt"],
    )


def initiative(p, *, who="syt_cc", title="Sáng kiến số hóa hồ sơ"):
    return Initiative.objects.create(
        staff=p.staff[who],
        title=title,
        level="co_so",
        year=2025,
        recognised_by="QĐ 12/QĐ-SYT",
    )


def council_members(p, count: int) -> list:
    """``count`` council members: the province's "council" user and new ones holding the
    council role on the province."""
    found = [p.users["council"]]
    for n in range(1, count):
        user = make_user(f"hoidong{n}")
        role_assign(
            actor=SYSTEM,
            user=user,
            role="council",
            unit=p.units["kh"],
            include_subtree=True,
            valid_from=date(2024, 1, 1),
        )
        found.append(user)
    return found


def session(p, members, nominations, *, title="Phiên họp xét khen thưởng năm 2025", open_=True):
    made = services_council.session_create(
        actor=p.users["snv"],
        spec=services_council.SessionSpec(
            title=title, unit=p.units["kh"], held_on=date(2026, 11, 20), members=members
        ),
    )
    services_council.session_add(actor=p.users["snv"], session=made, nominations=nominations)
    if open_:
        services_council.session_open(actor=p.users["snv"], session=made)
    made.refresh_from_db()
    return made


def vote(member, session_, picks: list[str]) -> None:
    items = list(session_.items.order_by("pk").values_list("pk", flat=True))
    services_council.ballot_cast(
        actor=member, session=session_, choices=dict(zip(items, picks, strict=True))
    )
