"""The history the engine reads and the nominations built on it: a person's streak follows them
across a transfer, a unit's across a merger; revoked achievements no longer count; a unit's
head proposes within scope and never themself; an initiative is relied on once; a declared
complaint blocks; the dossier moves submit → check (or return with a reason), every step kept;
the dossier .docx carries the engine's report."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document

from congvu.core.actors import SYSTEM
from congvu.discipline.services import DecisionSpec, discipline_record
from congvu.emulation import history, rules
from congvu.emulation import services_nominations as services
from congvu.emulation.models import Nomination, NominationStep
from congvu.emulation.tests.factories import award, initiative, rate, rate_unit
from congvu.organisations.services import staff_transfer

pytestmark = pytest.mark.django_db


def nominate(province, who="syt_cc", code=rules.CSTDCS, actor="head_syt", **more):
    spec = services.NominationSpec(
        award=code,
        year=more.pop("year", 2025),
        summary=more.pop("summary", "Hoàn thành xuất sắc nhiệm vụ, số hóa 100% hồ sơ."),
        staff=province.staff[who] if who else None,
        **more,
    )
    return services.nomination_create(actor=province.users[actor], spec=spec)


def checks(report: dict) -> dict[str, bool | None]:
    return {c["condition"]: c["passed"] for c in report["checks"]}


# --- History ---------------------------------------------------------------------------------


def test_a_persons_streak_follows_them_across_a_transfer(province):
    kh, person = province.units["kh"], province.staff["syt_cc"]
    rate(kh, person, {2023: "HTXS", 2024: "HTXS"})
    award(person, code=rules.CSTDCS, year=2023)
    award(person, code=rules.CSTDCS, year=2024)
    staff_transfer(actor=SYSTEM, staff=person, unit=province.units["stp"], day=date(2025, 2, 1))
    person.refresh_from_db()
    rate(kh, person, {2025: "HTXS"})
    award(person, code=rules.CSTDCS, year=2025)
    initiative(person, year=2025, level=rules.TINH)
    subject = history.staff_subject(person, year=2025)
    assert [y.year for y in subject.history] == [2023, 2024, 2025]
    answer = rules.eligibility(rules.CSTD_TINH, subject, date(2026, 3, 1))
    streak = next(c for c in answer.checks if "Ba lần liên tục" in c.condition)
    assert streak.passed is True, answer.checks


def test_a_revoked_title_no_longer_counts_in_later_streaks(province):
    kh, person = province.units["kh"], province.staff["syt_cc"]
    rate(kh, person, {2023: "HTXS", 2024: "HTXS", 2025: "HTXS"})
    for year in (2023, 2024, 2025):
        award(person, code=rules.CSTDCS, year=year)
    initiative(person, year=2025, level=rules.TINH)
    revoked = person.achievements.get(year=2024)
    revoked.revoked_at, revoked.revoke_reason = timezone.now(), "Kê khai không trung thực"
    revoked.save()
    subject = history.staff_subject(person, year=2025)
    assert rules.CSTDCS not in next(y for y in subject.history if y.year == 2024).titles
    answer = rules.eligibility(rules.CSTD_TINH, subject, date(2026, 3, 1))
    assert answer.result == rules.NOT_ELIGIBLE


def test_a_units_history_gathers_its_predecessors_after_a_merger(province):
    """Sở Nội vụ Ninh Thuận merged into Sở Nội vụ Khánh Hòa on 01/07/2025: its titles of
    2023 and 2024 are part of the merged unit's history."""
    kh, snv, nt_snv = province.units["kh"], province.units["snv"], province.units["nt_snv"]
    award(unit=nt_snv, code=rules.TTLDXS, year=2023)
    award(unit=nt_snv, code=rules.TTLDXS, year=2024)
    rate_unit(kh, nt_snv, {2024: "HTXS"})
    rate_unit(kh, snv, {2025: "HTXS"})
    subject = history.unit_subject(snv, year=2025)
    years = {y.year: y for y in subject.history}
    assert rules.TTLDXS in years[2023].titles and rules.TTLDXS in years[2024].titles
    assert years[2024].rating == "HTXS" and years[2025].rating == "HTXS"


def test_a_units_members_are_counted_from_their_ratings_titles_and_discipline(province):
    kh, syt = province.units["kh"], province.units["syt"]
    head, person = province.staff["head_syt"], province.staff["syt_cc"]
    rate(kh, head, {2025: "HTXS"})
    rate(kh, person, {2025: "HTT"})
    award(head, code=rules.LDTT, year=2025)
    award(head, code=rules.CSTDCS, year=2025)
    award(person, code=rules.LDTT, year=2025)
    discipline_record(
        actor=SYSTEM,
        staff=person,
        spec=DecisionSpec(
            form="canh_cao",
            decision_number="12/QĐ-SYT",
            decision_date=date(2025, 5, 1),
            issuer="Sở Y tế",
            effective_from=date(2025, 5, 2),
            violation="Vi phạm quy chế văn hóa công sở",
        ),
    )
    members = next(y for y in history.unit_subject(syt, year=2025).history if y.year == 2025)
    assert members.members == rules.Members(count=2, ldtt=2, cstdcs=1, kht=0, warned=1)
    answer = rules.eligibility(rules.TTLDTT, history.unit_subject(syt, year=2025), date(2026, 2, 1))
    assert answer.result == rules.NOT_ELIGIBLE  # a member warned


def test_an_open_discipline_case_is_a_pending_fact_of_the_year(province):
    from congvu.discipline.cases import CaseSpec, case_open

    person = province.staff["syt_cc"]
    case_open(
        actor=SYSTEM,
        staff=person,
        spec=CaseSpec(
            committed_on=date(2026, 9, 1),
            detected_on=date(2026, 9, 5),
            level="khien_trach",
            description="Vi phạm giờ giấc",
        ),
    )
    subject = history.staff_subject(person, year=2025)
    assert next(y for y in subject.history if y.year == 2025).pending == ("discipline",)


# --- Nominations ------------------------------------------------------------------------------


def test_a_unit_head_nominates_a_person_with_an_initiative_and_the_engine_explains(province):
    kh, person = province.units["kh"], province.staff["syt_cc"]
    rate(kh, person, {2025: "HTT"})
    found = initiative(person, year=2025)
    nomination = nominate(province, initiatives=[found.pk])
    assert nomination.state == rules.DRAFT and nomination.result == rules.ELIGIBLE
    assert nomination.report["award"] == rules.CSTDCS and nomination.report["regime"]
    assert list(nomination.initiatives.all()) == [found]
    assert all(c["source"] for c in nomination.report["checks"])


def test_a_declared_complaint_blocks(province):
    kh, person = province.units["kh"], province.staff["syt_cc"]
    rate(kh, person, {2025: "HTXS"})
    nomination = nominate(province, pending=["complaint"])
    assert nomination.result == rules.NOT_ELIGIBLE
    guard = next(c for c in nomination.report["checks"] if "khiếu nại" in c["condition"])
    assert guard["passed"] is False and "khiếu nại" in guard["detail"]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"actor": "head_stp"}, PermissionDenied),  # another unit's person
        ({"actor": "staff"}, PermissionDenied),  # no propose right
        ({"who": "head_syt"}, PermissionDenied),  # oneself
        ({"code": rules.TTLDTT}, ValidationError),  # a collective title for a person
        ({"year": 2031}, ValidationError),
        ({"summary": "   "}, ValidationError),
        ({"pending": ["discipline"]}, ValidationError),  # read from the register, not declared
        ({"kind": "khac"}, ValidationError),
    ],
)
def test_bad_nominations_are_refused_and_nothing_is_written(province, change, error):
    with pytest.raises(error):
        nominate(province, **change)
    assert not Nomination.objects.exists()


def test_an_initiative_is_relied_on_once(province):
    kh, person = province.units["kh"], province.staff["syt_cc"]
    rate(kh, person, {2024: "HTT", 2025: "HTT"})
    found = initiative(person, year=2025)
    nominate(province, initiatives=[found.pk])
    with pytest.raises(ValidationError, match="đang là căn cứ của hồ sơ khác"):
        nominate(province, code=rules.GIAY_KHEN, initiatives=[found.pk])
    found.used_for, found.used_at = rules.CSTDCS, timezone.now()
    found.save()
    with pytest.raises(ValidationError, match="mỗi sáng kiến chỉ dùng một lần"):
        nominate(province, code=rules.BK_TINH, initiatives=[found.pk])
    other = initiative(province.staff["stp_cc"], year=2025)
    with pytest.raises(ValidationError, match="không thuộc"):
        nominate(province, code=rules.LDTT, initiatives=[other.pk])
    assert Nomination.objects.count() == 1


def test_an_initiative_already_used_counts_for_nothing_in_the_engine(province):
    kh, person = province.units["kh"], province.staff["syt_cc"]
    rate(kh, person, {2025: "HTT"})
    used = initiative(person, year=2025)
    used.used_for, used.used_at = rules.GIAY_KHEN, timezone.now()
    used.save()
    assert nominate(province).result == rules.NOT_ELIGIBLE


def test_the_dossier_moves_and_every_step_is_kept(province):
    kh, person = province.units["kh"], province.staff["syt_cc"]
    rate(kh, person, {2025: "HTXS"})
    nomination = nominate(province)
    head, snv = province.users["head_syt"], province.users["snv"]
    with pytest.raises(ValidationError):  # Sở Nội vụ cannot check a draft
        services.nomination_move(actor=snv, nomination=nomination, move="check")
    services.nomination_move(actor=head, nomination=nomination, move="submit")
    nomination.refresh_from_db()
    assert nomination.state == rules.SUBMITTED and nomination.received_on == date(2026, 11, 21)
    with pytest.raises(ValidationError, match="Bạn không có quyền"):
        services.nomination_move(actor=head, nomination=nomination, move="check")
    with pytest.raises(ValidationError, match="nội dung cần bổ sung"):
        services.nomination_move(actor=snv, nomination=nomination, move="return")
    services.nomination_move(
        actor=snv, nomination=nomination, move="return", comment="Bổ sung minh chứng"
    )
    services.nomination_update(
        actor=head,
        nomination=nomination,
        summary="Bổ sung: chứng nhận sáng kiến",
        initiatives=[],
        pending=[],
    )
    services.nomination_move(actor=head, nomination=nomination, move="submit")
    services.nomination_move(actor=snv, nomination=nomination, move="check")
    nomination.refresh_from_db()
    assert nomination.state == rules.CHECKED
    assert nomination.received_on == date(2026, 11, 21)  # the first reception is kept
    assert list(NominationStep.objects.values_list("move", flat=True)) == [
        "submit",
        "return",
        "submit",
        "check",
    ]
    with pytest.raises(PermissionDenied):
        services.nomination_move(
            actor=province.users["head_stp"], nomination=nomination, move="withdraw"
        )


def test_the_dossier_docx_carries_the_report(province):
    kh, person = province.units["kh"], province.staff["syt_cc"]
    rate(kh, person, {2024: "HTT", 2025: "HTXS"})
    nomination = nominate(province)
    from congvu.emulation.documents import dossier_docx

    data = dossier_docx(
        nomination, services.subject_of(nomination), day=date(2026, 11, 21), initiatives=[]
    )
    text = "\n".join(p.text for p in Document(BytesIO(data)).paragraphs)
    cells = " ".join(
        c.text for t in Document(BytesIO(data)).tables for r in t.rows for c in r.cells
    )
    assert "TỜ TRÌNH" in text and "Chiến sĩ thi đua cơ sở" in text and person.full_name in text
    assert "Luật số 06/2026/QH16" in text and "Nghị định số 152/2025/NĐ-CP" in text
    assert "Hoàn thành xuất sắc nhiệm vụ" in cells and "Đạt" in cells


# --- Pages -----------------------------------------------------------------------------------


def test_pages_show_the_explanation_within_scope(client, province):
    kh, person = province.units["kh"], province.staff["syt_cc"]
    rate(kh, person, {2025: "HTXS"})
    nomination = nominate(province)
    client.force_login(province.users["head_syt"])
    page = client.get(reverse("emulation:nomination_detail", args=[nomination.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Luật Thi đua, khen thưởng 06/2022/QH15" in body and 'data-result="eligible"' in body
    assert (
        client.get(reverse("emulation:nomination_dossier", args=[nomination.pk])).status_code == 200
    )
    client.force_login(province.users["head_stp"])
    assert (
        client.get(reverse("emulation:nomination_detail", args=[nomination.pk])).status_code == 404
    )
    listing = client.get(reverse("emulation:nomination_list")).content.decode()
    assert person.full_name not in listing


def test_a_nomination_is_created_from_the_form(client, province):
    kh, person = province.units["kh"], province.staff["syt_cc"]
    rate(kh, person, {2025: "HTT"})
    found = initiative(person, year=2025)
    client.force_login(province.users["head_syt"])
    url = reverse("emulation:nomination_create")
    form = client.get(url, {"doi_tuong": f"s:{person.pk}"})
    assert "Sáng kiến số hóa hồ sơ" in form.content.decode()
    response = client.post(
        url,
        {
            "subject": f"s:{person.pk}",
            "award": rules.CSTDCS,
            "year": 2025,
            "kind": rules.MERIT,
            "summary": "Thành tích",
            "initiatives": [str(found.pk)],
        },
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and nomination.result == rules.ELIGIBLE
    bad = client.post(
        url,
        {
            "subject": f"s:{person.pk}",
            "award": rules.TTLDTT,
            "year": 2025,
            "kind": "cong_trang",
            "summary": "x",
        },
        follow=True,
    )
    assert "không xét cho cá nhân" in bad.content.decode()
    assert Nomination.objects.count() == 1


def test_a_persons_history_page_records_initiatives_and_earlier_titles(client, province):
    person = province.staff["syt_cc"]
    client.force_login(province.users["snv"])
    page = reverse("emulation:staff_history", args=[person.pk])
    assert client.get(page).status_code == 200
    client.post(
        reverse("emulation:staff_initiative_add", args=[person.pk]),
        {
            "title": "Phần mềm hẹn giờ",
            "kind": "sang_kien",
            "level": "co_so",
            "year": 2024,
            "recognised_by": "QĐ 5/QĐ-SYT",
        },
    )
    client.post(
        reverse("emulation:staff_achievement_add", args=[person.pk]),
        {"award": "LDTT", "year": 2023, "kind": "cong_trang", "source_document": "QĐ 1/2024"},
    )
    body = client.get(page).content.decode()
    assert "Phần mềm hẹn giờ" in body and "Lao động tiên tiến 2023" in body
    client.force_login(province.users["head_stp"])
    assert client.get(page).status_code == 404


def test_a_collective_leading_its_cluster_is_known_to_the_engine(province):
    """Cờ thi đua: the unit ranked first by the other members of its cluster (closed)."""
    from decimal import Decimal

    from congvu.emulation.models import Cluster, ClusterScore, ClusterYear

    syt, stp, snv = province.units["syt"], province.units["stp"], province.units["snv"]
    cluster = Cluster.objects.create(name="Cụm các sở")
    year = ClusterYear.objects.create(cluster=cluster, year=2025, leader=stp, criteria=[])
    year.members.set([syt, stp, snv])
    who = province.users["snv"]
    for scorer, scored, points in ((stp, syt, 95), (snv, syt, 93), (syt, stp, 80), (snv, stp, 85)):
        ClusterScore.objects.create(
            cluster_year=year,
            scorer=scorer,
            scored=scored,
            criterion="c1",
            points=Decimal(points),
            scored_by=who,
            scored_at=timezone.now(),
        )
    assert history.unit_subject(syt, year=2025).history[-1].cluster_leader is None  # not closed
    year.ranked_at = timezone.now()
    year.save()
    first = {y.year: y.cluster_leader for y in history.unit_subject(syt, year=2025).history}
    second = {y.year: y.cluster_leader for y in history.unit_subject(stp, year=2025).history}
    assert first[2025] is True and second[2025] is False
