"""S1: every URL × every persona, against objects of another unit.

The table below says, for each URL in the resolver, how to build it with an object
that belongs to ANOTHER unit (Sở Tư pháp inside the province, or a unit of Lâm Đồng
outside it) and what each persona must get. A URL in the resolver without an entry
fails ``test_every_url_has_a_matrix_entry``: new pages must be added here.

Outcomes: OK = 200 showing the object; DENY = 403/404/401, or a redirect to a login
page (anonymous users, and the admin site's own redirect), and never the object's
data; REDIRECT = a redirect elsewhere (no body data); SOFT = anything below 500.
List pages are also checked for names outside the persona's scope.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from congvu.accounts.models import ApiToken, RoleAssignment
from congvu.accounts.services import role_assign, token_create
from congvu.core import jobs
from congvu.core.actors import SYSTEM
from congvu.core.models import AuditLog
from congvu.discipline.services import DecisionSpec, discipline_record
from congvu.organisations import services
from congvu.organisations.models import (
    ImportJob,
    LineageEvent,
    Membership,
    Unit,
    UnitType,
    UnitVersion,
)
from congvu.standards.models import Catalogue, CatalogueVersion, Criterion
from congvu.testing import build_province, export_via_job, make_staff, make_unit, make_user

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anon",
    "admin",
    "snv",
    "head_syt",
    "head_stp",
    "staff",
    "leader",
    "mttq",
    "council",
    "inspector",
    "outsider",
]
PERSONAS_AUTH = " ".join(p for p in PERSONAS if p != "anon")
OK, DENY, REDIRECT, SOFT, METHOD_NOT_ALLOWED = "ok", "deny", "redirect", "soft", "405"

# --- What each persona may see in lists (explicit, not computed) ------------------

STAFF_NAMES = {
    "head_syt": "Trần Thị Bích",  # Sở Y tế
    "syt_cc": "Nguyễn Văn An",  # Sở Y tế
    "nurse": "Lê Văn Đức",  # Bệnh viện (under Sở Y tế)
    "head_stp": "Phạm Minh Châu",  # Sở Tư pháp
    "stp_cc": "Võ Thị Ánh",  # Sở Tư pháp
    "snv_cc": "Đặng Quốc Bảo",  # Sở Nội vụ
    "xa_cc": "Huỳnh Văn Em",  # xã Cam Lâm
    "nt_cc": "Bùi Thị Giang",  # from Ninh Thuận, now Sở Nội vụ
    "ld_cc": "Đoàn Thị Lâm",  # Lâm Đồng: outside the province
}
_KHA_STAFF = {k for k in STAFF_NAMES if k != "ld_cc"}
VISIBLE_STAFF: dict[str, set[str]] = {
    "anon": set(),
    "admin": set(STAFF_NAMES),
    "snv": _KHA_STAFF,
    "leader": _KHA_STAFF,
    "head_syt": {"head_syt", "syt_cc", "nurse"},
    "council": {"head_syt", "syt_cc", "nurse"},
    "head_stp": {"head_stp", "stp_cc"},
    "inspector": {"head_stp", "stp_cc"},
    "staff": {"syt_cc"},  # only their own record
    "mttq": set(),
    "outsider": set(),
}
UNIT_NAMES = {
    "syt": "Sở Y tế",
    "bv": "Bệnh viện Đa khoa tỉnh",
    "stp": "Sở Tư pháp",
    "ld": "Lâm Đồng",
}
VISIBLE_UNITS: dict[str, set[str]] = {
    "anon": set(),
    "admin": set(UNIT_NAMES),
    "snv": {"syt", "bv", "stp"},
    "leader": {"syt", "bv", "stp"},
    "mttq": {"syt", "bv", "stp"},
    "head_syt": {"syt", "bv"},
    "council": {"syt", "bv"},
    "head_stp": {"stp"},
    "inspector": {"stp"},
    "staff": {"syt"},  # no subtree: not the hospital
    "outsider": set(),
}


def hidden_staff(persona: str) -> list[str]:
    return [name for key, name in STAFF_NAMES.items() if key not in VISIBLE_STAFF[persona]]


def shown_staff(persona: str) -> list[str]:
    return [STAFF_NAMES[key] for key in sorted(VISIBLE_STAFF[persona])]


def hidden_units(persona: str) -> list[str]:
    return [name for key, name in UNIT_NAMES.items() if key not in VISIBLE_UNITS[persona]]


def shown_units(persona: str) -> list[str]:
    return [UNIT_NAMES[key] for key in sorted(VISIBLE_UNITS[persona])]


def rule(ok: str = "", **special: str) -> dict[str, str]:
    """Personas in ``ok`` get OK, those named in ``special`` their outcome, the rest DENY."""
    allowed = set(ok.split())
    assert allowed <= set(PERSONAS) and set(special) <= set(PERSONAS)
    return {p: special.get(p, OK if p in allowed else DENY) for p in PERSONAS}


@dataclass
class Case:
    url: Callable[[World], str]
    expect: dict[str, str]
    secret: list[str] | Callable[[World], list[str]] = field(default_factory=list)
    """Text of the object: absent on DENY, present on OK."""
    hidden: Callable[[str], list[str]] | None = None
    """Per persona, text that must never appear (names outside the scope)."""
    shown: Callable[[str], list[str]] | None = None
    """Per persona, text that must appear on OK (the list is not vacuously empty)."""
    api: bool = False
    post: bool = False
    """Also POST (empty form): a denied persona stays denied, nobody gets a 5xx."""


def hide_lists(persona: str) -> list[str]:
    return hidden_staff(persona) + hidden_units(persona)


# --- The world: the province, plus Lâm Đồng outside it ----------------------------


class World(dict):
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module inside a transaction that is rolled back at the end."""
    moment = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    fast_hash = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    travel = time_machine.travel(moment, tick=False)
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("private"))  # evidence files
    with django_db_blocker.unblock(), travel, fast_hash, media, transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> World:
    p = build_province()
    w = World({**p.units, **p.staff, **{f"user:{k}": v for k, v in p.users.items()}})
    w["ld"] = make_unit("LDG", "UBND tỉnh Lâm Đồng", UnitType.UBND_TINH)
    w["ld_stc"] = make_unit("LDG-STC", "Sở Tài chính Lâm Đồng", UnitType.SO_BAN_NGANH, w["ld"])
    w["ld_cc"] = make_staff(w["ld_stc"], "Đoàn", "Thị", "Lâm")
    w["ld_event"] = services.unit_change(
        actor=SYSTEM, unit=w["ld_stc"], day=date(2024, 1, 1), name="Sở Tài chính tỉnh Lâm Đồng"
    )
    w["ld_stc"].refresh_from_db()
    w["user:ld"] = make_user("nguoi_lamdong", w["ld_cc"])
    w["ld_role"] = role_assign(
        actor=SYSTEM,
        user=w["user:ld"],
        role="unit_head",
        unit=w["ld_stc"],
        valid_from=date(2024, 1, 1),
    )
    w["ld_token"] = token_create(actor=SYSTEM, user=w["user:ld"], label="Lâm Đồng")
    w["job"] = ImportJob.objects.create(
        kind="staff",
        created_by=p.users["head_stp"],
        original_name="can-bo-tu-phap.xlsx",
        stored_name="x",
        status="done",
    )
    w["group"] = Group.objects.create(name="Nhóm Lâm Đồng")
    w["export_job"] = jobs.job_start(
        actor=p.users["head_stp"],
        kind="organisations.staff",
        parameters={"q": "", "don_vi": "KHA-STP"},
    )
    jobs.job_run(w["export_job"].pk)  # queued after a commit that never comes: run it here
    from congvu.core.dated_store import setting_override_set

    w["override"] = setting_override_set(
        actor=p.users["admin"],
        name="discipline.duration_months",
        value="18",
        valid_from=date(2026, 1, 1),
        source="Quyết định tham số riêng của tỉnh Lâm Đồng",
    )
    common = {
        "user_agent": "test",
        "ip_address": "10.0.0.9",
        "username": "nguoi_lamdong",
        "http_accept": "*/*",
        "path_info": "/tai-khoan/dang-nhap/",
    }
    w["axes_attempt"] = AccessAttempt.objects.create(
        **common, get_data="", post_data="", failures_since_start=1
    )
    w["axes_log"] = AccessLog.objects.create(**common)
    w["axes_failure"] = AccessFailureLog.objects.create(**common)
    w["ld_discipline"] = discipline_record(
        actor=SYSTEM,
        staff=w["ld_cc"],
        spec=DecisionSpec(
            form="khien_trach",
            decision_number="7/QĐ-STC-LĐ",
            decision_date=date(2026, 3, 1),
            issuer="Sở Tài chính tỉnh Lâm Đồng",
            effective_from=date(2026, 3, 1),
            violation="Vi phạm quy chế văn hóa công sở",
        ),
    )
    w.tokens = {
        key: token_create(actor=SYSTEM, user=user, label="matrix") for key, user in p.users.items()
    }
    from congvu.standards import services as standards

    standards.catalogues_load(actor=SYSTEM)
    w["stp_rules"] = standards.supplement_version_create(
        actor=p.users["head_stp"],
        unit=w["stp"],
        title="Nội quy Sở Tư pháp",
        version="2026.1",
        effective_from=date(2026, 1, 1),
        rules_text="Cất hồ sơ mật vào tủ khóa",
    )
    w["ld_rules"] = standards.supplement_version_create(
        actor=w["user:ld"],
        unit=w["ld_stc"],
        title="Nội quy Sở Tài chính Lâm Đồng",
        version="2026.1",
        effective_from=date(2026, 1, 1),
        rules_text="Sổ quỹ để trong két",
    )
    from congvu.evaluations import services as evaluations
    from congvu.evaluations.models import Evaluation

    # An open cycle of Lâm Đồng: its official's evaluation is nobody's here but their own.
    w["ld_cycle"] = evaluations.cycle_open(
        actor=w["user:ld"],
        cycle=evaluations.cycle_create(
            actor=w["user:ld"],
            spec=evaluations.CycleSpec(
                title="Đánh giá Sở Tài chính Lâm Đồng 2026",
                subject="individual",
                period_kind="year",
                year=2026,
                period_number=None,
                catalogue_version=CatalogueVersion.objects.get(
                    catalogue__code="ca-nhan", version="2019.1"
                ),
                root_unit=w["ld_stc"],
                self_deadline=date(2026, 11, 25),
                manager_deadline=date(2026, 11, 28),
                council_deadline=date(2026, 12, 5),
            ),
        ),
    )
    w["ld_eval"] = Evaluation.objects.get(cycle=w["ld_cycle"], staff=w["ld_cc"])
    _evaluation_trail(w)
    _discipline_in_province(w, p)
    _discipline_cases(w, p)
    _collective_of_lam_dong(w)
    _reports_world(w, p)
    _ratings_world(w, p)
    _plans_world(w, p)
    _inspections_world(w, p)
    _unit_rules_world(w, p)
    return w


def _unit_rules_world(w: World, p) -> None:
    """Internal rules of Sở Tư pháp and of a Lâm Đồng unit, each with its signed Word file."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from docx import Document

    from congvu.standards import services as standards

    def rules(actor, unit, text: str):
        document = Document()
        document.add_paragraph(text)
        out = io.BytesIO()
        document.save(out)
        made = standards.rules_create(
            actor=actor,
            unit=unit,
            title=f"Nội quy {unit.name}",
            adopted_on=date(2026, 2, 1),
            text=text,
            upload=SimpleUploadedFile("noi-quy.docx", out.getvalue()),
        )
        standards.item_map(actor=actor, rules=made, pairs=[(made.items.get().pk, "qd129.the")])
        return made

    w["stp_unit_rules"] = rules(
        p.users["head_stp"], w["stp"], "Điều 1. Đeo thẻ; sổ công văn Tư pháp"
    )
    w["ld_unit_rules"] = rules(w["user:ld"], w["ld_stc"], "Điều 1. Đeo thẻ; két sắt Lâm Đồng")


def _ratings_world(w: World, p) -> None:
    """QR desks of Sở Tư pháp, of an official of Sở Y tế and of Lâm Đồng, with a flagged
    rating and a revoked token (issue 4, ratings)."""
    from congvu.ratings import services as ratings

    def desk(actor, unit, name, **extra):
        spec = ratings.DeskSpec(unit=unit, kind=extra.pop("kind", "quay"), name=name, **extra)
        return ratings.desk_create(actor=actor, spec=spec)

    w["stp_desk"] = desk(p.users["head_stp"], w["stp"], "Quầy hộ tịch Tư pháp")
    w["syt_desk"] = desk(
        p.users["head_syt"], w["syt"], "Quầy bác sĩ An", kind="can_bo", staff=w["syt_cc"]
    )
    w["ld_desk"] = desk(w["user:ld"], w["ld_stc"], "Quầy Lâm Đồng số 9")
    w["ld_old_token"] = w["ld_desk"].tokens.get().token
    ratings.desk_token_rotate(actor=w["user:ld"], desk=w["ld_desk"])
    for token, text in (
        (w["ld_desk"].tokens.get(revoked_at=None).token, "Phàn nàn ở Lâm Đồng"),
        (w["stp_desk"].tokens.get().token, "Phàn nàn ở Tư pháp"),
    ):
        client = ratings.ClientInfo(ip="192.0.2.10", user_agent=text)
        for score in (5, 1):
            ratings.rating_submit(
                token=token,
                key=ratings.new_form_key(),
                score=score,
                answers={},
                reason=text,
                client=client,
                phone=FOLLOW_UP_PHONE if score == 1 else "",
            )


def _reports_world(w: World, p) -> None:
    """Citizen reports and supervision findings on Sở Tư pháp and on Lâm Đồng (issue 4)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congvu.feedback import services as reports
    from congvu.feedback import supervision
    from congvu.feedback.tests.conftest import jpeg_bytes, report_input

    def file(unit_code: str, text: str, **extra):
        data = report_input(unit_code, description=text, name="Người Báo Tin Bí Mật", **extra)
        return reports.report_submit(data=data).report

    w["stp_report"] = file(
        "KHA-STP",
        "Chuyện ở Sở Tư pháp: bắt chờ ba buổi sáng liền.",
        uploads=[SimpleUploadedFile("anh.jpg", jpeg_bytes(), content_type="image/jpeg")],
    )
    w["ld_report"] = file("LDG-STC", "Chuyện ở Lâm Đồng: đòi tiền ngoài lệ phí.")
    w["stp_finding"] = supervision.finding_file(
        actor=p.users["mttq"],
        unit=w["stp"],
        title="Giám sát Sở Tư pháp",
        content="Nội dung giám sát Sở Tư pháp.",
        due_on=None,
    )
    w["ld_finding"] = supervision.finding_file(
        actor=p.users["admin"],
        unit=w["ld_stc"],
        title="Giám sát Lâm Đồng",
        content="Nội dung giám sát Lâm Đồng.",
        due_on=None,
    )


def _collective_of_lam_dong(w: World) -> None:
    """Lâm Đồng's own (collective) assessment: Lâm Đồng's Sở Nội vụ judges it, nobody here."""
    from decimal import Decimal

    from congvu.evaluations import services as evaluations

    spec = evaluations.CycleSpec(
        title="Tập thể Lâm Đồng 2026",
        subject="collective",
        period_kind="year",
        year=2026,
        period_number=None,
        root_unit=w["ld_stc"],
        culture_points=Decimal(100),
        catalogue_version=CatalogueVersion.objects.get(catalogue__code="tap-the", version="2019.1"),
        self_deadline=date(2026, 11, 25),
        manager_deadline=date(2026, 11, 28),
        council_deadline=date(2026, 12, 5),
    )
    cycle = evaluations.cycle_create(actor=w["user:ld"], spec=spec)
    w["ld_collective"] = evaluations.cycle_open(actor=w["user:ld"], cycle=cycle)


def _evaluation_trail(w: World) -> None:
    """Lâm Đồng's evaluation with a score change, an evidence file, a move and a council
    decision (the last two as bare rows: nobody here may review or conclude it)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congvu.evaluations import services as evaluations
    from congvu.evaluations.models import CouncilDecision, ScoreChange, Transition

    evaluations.self_assess(
        actor=w["user:ld"],
        evaluation=w["ld_eval"],
        scores={"ca-nhan.ky-cuong.1": evaluations.SelfScore(8, "Đúng giờ")},
    )
    w["ld_score_change"] = ScoreChange.objects.get(evaluation=w["ld_eval"])
    w["ld_evidence"] = evaluations.evidence_attach(
        actor=w["user:ld"],
        evaluation=w["ld_eval"],
        criterion="ca-nhan.ky-cuong.1",
        upload=SimpleUploadedFile("bang-cham-cong-lam-dong.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    now = w["ld_cycle"].opened_at
    w["ld_transition"] = Transition.objects.create(
        evaluation=w["ld_eval"],
        move="submit",
        from_state="draft",
        to_state="submitted",
        actor=w["user:ld"],
        at=now,
        comment="Nộp bản tự đánh giá Lâm Đồng",
    )
    w["ld_decision"] = CouncilDecision.objects.create(
        cycle=w["ld_cycle"],
        unit=w["ld_stc"],
        actor=w["user:ld"],
        at=now,
        comment="Biên bản họp hội đồng Lâm Đồng",
    )


def _discipline_in_province(w: World, p) -> None:
    """A decision about Sở Tư pháp's official: inside the province, outside Sở Y tế."""
    w["stp_discipline"] = discipline_record(
        actor=p.users["head_stp"],
        staff=w["stp_cc"],
        spec=DecisionSpec(
            form="canh_cao",
            decision_number="5/QĐ-STP",
            decision_date=date(2026, 4, 1),
            issuer="Sở Tư pháp",
            effective_from=date(2026, 4, 1),
            violation="Gây phiền hà khi tiếp công dân",
        ),
    )


def _discipline_cases(w: World, p) -> None:
    """A case about Sở Tư pháp's official (inside the province, outside Sở Y tế) and one in
    Lâm Đồng, hidden from all but the admin."""
    from congvu.discipline.cases import CaseSpec, case_open

    spec = CaseSpec(
        committed_on=date(2026, 9, 1),
        detected_on=date(2026, 9, 15),
        level="khien_trach",
        description="Vụ việc Sở Tư pháp: gây phiền hà",
    )
    w["stp_case"] = case_open(actor=p.users["head_stp"], staff=w["stp_cc"], spec=spec)
    w["ld_case"] = case_open(
        actor=SYSTEM,
        staff=w["ld_cc"],
        spec=CaseSpec(**{**spec.__dict__, "description": "Vụ việc Lâm Đồng: sổ quỹ"}),
    )


def _history_id(model, pk: int) -> int:
    return model.history.filter(id=pk).latest("history_date").history_id


# --- The table --------------------------------------------------------------------


def _org(name: str, *args) -> str:
    return reverse(f"organisations:{name}", args=args)


_POST_ONLY = {**dict.fromkeys(PERSONAS, METHOD_NOT_ALLOWED), "anon": DENY}


SITE: dict[str, list[Case]] = {
    "home": [Case(lambda w: reverse("home"), rule(PERSONAS_AUTH))],
    "login": [
        Case(lambda w: reverse("login"), rule("anon", **dict.fromkeys(PERSONAS[1:], REDIRECT)))
    ],
    "logout": [Case(lambda w: reverse("logout"), dict.fromkeys(PERSONAS, METHOD_NOT_ALLOWED))],
    "password_change": [Case(lambda w: reverse("password_change"), rule(PERSONAS_AUTH), post=True)],
    "password_change_done": [Case(lambda w: reverse("password_change_done"), rule(PERSONAS_AUTH))],
    "profile": [
        Case(lambda w: reverse("profile"), rule(PERSONAS_AUTH), hidden=lambda p: ["Lâm Đồng"])
    ],
    # Each login's own API tokens; a POST revokes only one's own (accounts/tests/test_services).
    "api_tokens": [
        Case(
            lambda w: reverse("api_tokens"),
            rule(PERSONAS_AUTH),
            post=True,
            hidden=lambda p: ["Lâm Đồng"],
        ),  # the label of Lâm Đồng's token
    ],
    "set_language": [Case(lambda w: reverse("set_language"), dict.fromkeys(PERSONAS, REDIRECT))],
    "organisations:unit_tree": [
        Case(
            lambda w: _org("unit_tree"),
            rule("admin snv head_syt head_stp staff leader mttq council inspector"),
            hidden=hide_lists,
            shown=shown_units,
        ),
    ],
    "organisations:unit_create": [
        Case(lambda w: _org("unit_create"), rule("admin snv"), post=True),
    ],
    "organisations:unit_detail": [
        Case(
            lambda w: _org("unit_detail", w["stp"].pk),
            rule("admin snv head_stp leader mttq inspector"),
            secret=["Sở Tư pháp"],
            hidden=lambda p: ["Lâm Đồng", *hidden_staff(p)],
        ),
        Case(
            lambda w: _org("unit_detail", w["ld_stc"].pk),
            rule("admin"),
            secret=["Sở Tài chính tỉnh Lâm Đồng"],
        ),
        Case(
            lambda w: _org("unit_detail", w["nt"].pk),  # ended; rolls up into Khánh Hòa
            rule("admin snv leader mttq"),
            secret=["UBND tỉnh Ninh Thuận"],
        ),
    ],
    "organisations:unit_change": [
        Case(
            lambda w: _org("unit_change", w["stp"].pk),
            rule("admin snv"),
            secret=["Sở Tư pháp"],
            post=True,
        ),
        Case(
            lambda w: _org("unit_change", w["ld_stc"].pk),
            rule("admin"),
            secret=["Sở Tài chính tỉnh Lâm Đồng"],
            post=True,
        ),
    ],
    "organisations:staff_list": [
        Case(
            lambda w: _org("staff_list"),
            rule("admin snv head_syt head_stp staff leader council inspector"),
            hidden=hide_lists,
            shown=shown_staff,
        ),
        Case(
            lambda w: _org("staff_list") + "?don_vi=KHA-STP",
            rule("admin snv head_syt head_stp staff leader council inspector"),
            hidden=lambda p: [
                n
                for n in ("Võ Thị Ánh", "Phạm Minh Châu")
                if p not in ("admin", "snv", "leader", "head_stp", "inspector")
            ],
        ),
        Case(
            lambda w: _org("staff_list") + "?q=lam",
            rule("admin snv head_syt head_stp staff leader council inspector"),
            hidden=hide_lists,
        ),
    ],
    # Exports are background jobs started by a POST (core.jobs); what a job's file holds is
    # checked per persona by test_export_jobs_hold_only_the_creators_scope below.
    "organisations:staff_export": [
        Case(lambda w: _org("staff_export"), _POST_ONLY, post=True),
    ],
    "organisations:staff_detail": [
        Case(
            lambda w: _org("staff_detail", w["stp_cc"].pk),
            rule("admin snv head_stp leader inspector"),
            secret=["Võ Thị Ánh"],
        ),
        Case(lambda w: _org("staff_detail", w["ld_cc"].pk), rule("admin"), secret=["Đoàn Thị Lâm"]),
        Case(
            lambda w: _org("staff_detail", w["syt_cc"].pk),  # the staff persona's own record
            rule("admin snv head_syt staff leader council"),
            secret=["Nguyễn Văn An"],
        ),
    ],
    # Importers are those who may import units or staff somewhere; a job is seen by the
    # one who uploaded it and by the system administrator only.
    "organisations:import_start": [
        Case(
            lambda w: _org("import_start"),
            rule("admin snv head_syt head_stp"),
            post=True,
            hidden=lambda p: ["can-bo-tu-phap.xlsx"] if p != "head_stp" else [],
        ),
    ],
    "organisations:import_template": [
        Case(lambda w: _org("import_template", "staff"), rule("admin snv head_syt head_stp")),
        Case(lambda w: _org("import_template", "units"), rule("admin snv")),
    ],
    "organisations:import_detail": [
        Case(
            lambda w: _org("import_detail", w["job"].pk),
            rule("admin head_stp"),
            secret=["can-bo-tu-phap.xlsx"],
        ),
    ],
    # This job has no error sheet: 404 for everyone, yet never a 5xx or its data.
    "organisations:import_error_file": [
        Case(
            lambda w: _org("import_error_file", w["job"].pk), rule(), secret=["can-bo-tu-phap.xlsx"]
        ),
    ],
    # A background file is its creator's alone: the administrator does not see it either.
    "jobs:list": [
        Case(
            lambda w: reverse("jobs:list"),
            rule(PERSONAS_AUTH),
            hidden=lambda p: [] if p == "head_stp" else ["KHA-STP"],
        ),
    ],
    "jobs:detail": [
        Case(
            lambda w: reverse("jobs:detail", args=[w["export_job"].pk]),
            rule("head_stp"),
            secret=["KHA-STP"],
        ),
    ],
    "jobs:download": [
        Case(
            lambda w: reverse("jobs:download", args=[w["export_job"].pk]),
            rule("head_stp"),
            secret=["Võ Thị Ánh"],
        ),
    ],
    # The API authenticates by bearer token (each persona's own); anonymous gets 401.
    "api:health": [Case(lambda w: reverse("api:health"), dict.fromkeys(PERSONAS, OK), api=True)],
    "api:openapi-json": [
        Case(lambda w: reverse("api:openapi-json"), dict.fromkeys(PERSONAS, OK), api=True)
    ],
    "api:openapi-view": [
        Case(lambda w: reverse("api:openapi-view"), dict.fromkeys(PERSONAS, OK), api=True)
    ],
    # django-ninja's root only names the docs URL in a 404.
    "api:api-root": [Case(lambda w: reverse("api:api-root"), rule(), api=True)],
    "api:units": [
        Case(
            lambda w: reverse("api:units"),
            rule(PERSONAS_AUTH),
            api=True,
            hidden=hidden_units,
            shown=shown_units,
        ),
        Case(
            lambda w: reverse("api:units") + "?as_of=2024-06-30",
            rule(PERSONAS_AUTH),
            api=True,
            hidden=lambda p: [] if p == "admin" else ["Lâm Đồng"],
        ),
    ],
    "api:staff": [
        Case(
            lambda w: reverse("api:staff"),
            rule(PERSONAS_AUTH),
            api=True,
            hidden=hidden_staff,
            shown=shown_staff,
        ),
        Case(
            lambda w: reverse("api:staff") + "?unit=KHA-STP",
            rule("admin snv head_stp leader inspector mttq"),
            api=True,
            hidden=lambda p: (
                [] if p in ("admin", "snv", "head_stp", "leader", "inspector") else ["Võ Thị Ánh"]
            ),
        ),
        Case(
            lambda w: reverse("api:staff") + "?unit=LDG-STC",
            rule("admin"),
            api=True,
            secret=["Đoàn Thị Lâm"],
        ),
    ],
}


def _ev(name: str, *args) -> str:
    return reverse(f"evaluations:{name}", args=args)


# Pages of one's own evaluation and of one's team: an evaluation of another province is
# nobody's here (404 for all, even the system administrator, who is not its official).
EVALUATIONS: dict[str, list[Case]] = {
    # Everyone's own inbox; a POST marks only one's own (tests/test_inbox.py).
    "evaluations:inbox": [Case(lambda w: _ev("inbox"), rule(PERSONAS_AUTH), post=True)],
    "evaluations:my_list": [
        Case(
            lambda w: _ev("my_list"),
            rule(PERSONAS_AUTH),
            hidden=lambda p: ["Đoàn Thị Lâm", "Lâm Đồng 2026"],
        ),
    ],
    "evaluations:my_detail": [
        Case(
            lambda w: _ev("my_detail", w["ld_eval"].pk), rule(), secret=["Lâm Đồng 2026"], post=True
        ),
    ],
    "evaluations:evidence_upload": [
        Case(
            lambda w: _ev("evidence_upload", w["ld_eval"].pk),
            rule(),
            secret=["Lâm Đồng 2026"],
            post=True,
        ),
    ],
    "evaluations:team_list": [
        Case(
            lambda w: _ev("team_list"),
            rule(PERSONAS_AUTH),
            hidden=lambda p: ["Đoàn Thị Lâm", "Lâm Đồng 2026"],
            post=True,
        ),
    ],
    # Evidence: the official, the manager, the council and Sở Nội vụ over the unit (here only
    # the system administrator, who concludes everywhere); deleting is the official's alone.
    "evaluations:evidence_download": [
        Case(
            lambda w: _ev("evidence_download", w["ld_evidence"].pk),
            rule("admin"),
            secret=["%PDF-1.4"],
        ),
    ],
    "evaluations:evidence_delete": [
        Case(
            lambda w: _ev("evidence_delete", w["ld_evidence"].pk),
            {**dict.fromkeys(PERSONAS, METHOD_NOT_ALLOWED), "anon": DENY},
            post=True,
            secret=["bang-cham-cong-lam-dong.pdf"],
        ),
    ],
    "evaluations:team_review": [
        Case(
            lambda w: _ev("team_review", w["ld_eval"].pk),
            rule(),
            secret=["Đoàn Thị Lâm", "Lâm Đồng 2026"],
            post=True,
        ),
    ],
    # The council of a unit (or its head) and Sở Nội vụ: Lâm Đồng's list is nobody's here but
    # the system administrator's; the indexes are for those who conclude / oversee.
    "evaluations:council_index": [
        Case(
            lambda w: _ev("council_index"),
            rule("admin head_syt head_stp council"),
            hidden=lambda p: [] if p == "admin" else ["Đoàn Thị Lâm", "Lâm Đồng 2026"],
        ),
    ],
    "evaluations:council_detail": [
        Case(
            lambda w: _ev("council_detail", w["ld_cycle"].pk, w["ld_stc"].pk),
            rule("admin"),
            secret=["Đoàn Thị Lâm", "Lâm Đồng 2026"],
            post=True,
        ),
    ],
    "evaluations:council_minutes": [  # a zipped Word file: nothing readable to look for
        Case(lambda w: _ev("council_minutes", w["ld_cycle"].pk, w["ld_stc"].pk), rule("admin")),
    ],
    "evaluations:council_export": [
        Case(
            lambda w: _ev("council_export", w["ld_cycle"].pk, w["ld_stc"].pk),
            rule("admin"),
            secret=["Đoàn Thị Lâm"],
        ),
    ],
    "evaluations:progress_index": [
        Case(
            lambda w: _ev("progress_index"),
            rule("admin snv"),
            hidden=lambda p: [] if p == "admin" else ["Lâm Đồng 2026"],
        ),
    ],
    "evaluations:progress_detail": [
        Case(
            lambda w: _ev("progress_detail", w["ld_cycle"].pk),
            rule("admin"),
            secret=["Lâm Đồng 2026", "Sở Tài chính tỉnh Lâm Đồng"],
        ),
    ],
    "evaluations:progress_export": [
        Case(
            lambda w: _ev("progress_export", w["ld_cycle"].pk),
            rule("admin"),
            secret=["Sở Tài chính tỉnh Lâm Đồng"],
        ),
    ],
    # Cycles are managed over one's own units (evaluation.manage); Lâm Đồng's are nobody's
    # here but the system administrator's, whose GET of a POST-only action gets 405.
    "evaluations:cycle_list": [
        Case(
            lambda w: _ev("cycle_list"),
            rule("admin snv head_syt head_stp"),
            hidden=lambda p: [] if p == "admin" else ["Lâm Đồng"],
        ),
    ],
    "evaluations:cycle_create": [
        Case(
            lambda w: _ev("cycle_create"),
            rule("admin snv head_syt head_stp"),
            post=True,
            hidden=lambda p: (
                []
                if p == "admin"
                else ["Lâm Đồng", *(["Nội quy Sở Tư pháp", "Sở Nội vụ"] if p == "head_syt" else [])]
            ),
        ),
    ],
    "evaluations:cycle_detail": [
        Case(
            lambda w: _ev("cycle_detail", w["ld_cycle"].pk), rule("admin"), secret=["Lâm Đồng 2026"]
        ),
    ],
    **{
        f"evaluations:{name}": [
            Case(
                lambda w, name=name: _ev(name, w["ld_cycle"].pk),
                rule(admin=METHOD_NOT_ALLOWED),
                secret=["Lâm Đồng 2026"],
                post=True,
            ),
        ]
        for name in ("cycle_open", "cycle_close", "cycle_delete")
    },
    # The units' own assessments: Sở Nội vụ's list; one unit's for those who see the unit.
    "evaluations:collective_index": [
        Case(
            lambda w: _ev("collective_index"),
            rule("admin snv"),
            hidden=lambda p: [] if p == "admin" else ["Lâm Đồng"],
        ),
    ],
    "evaluations:collective_detail": [
        Case(
            lambda w: _ev("collective_detail", w["ld_collective"].pk, w["ld_stc"].pk),
            rule("admin"),
            secret=["Tập thể Lâm Đồng 2026"],
            post=True,
        ),
    ],
}


def _dis(name: str, *args) -> str:
    return reverse(f"discipline:{name}", args=args)


_DIS_VIEW = "admin snv head_syt head_stp leader council inspector"  # discipline.view somewhere
_DIS_STP = "admin snv head_stp leader inspector"  # discipline.view over Sở Tư pháp


def _dis_hidden(persona: str) -> list[str]:
    hidden = [] if persona == "admin" else ["7/QĐ-STC-LĐ", "Đoàn Thị Lâm"]
    return hidden + ([] if persona in _DIS_STP.split() else ["5/QĐ-STP"])


# The discipline register: lists and export scoped by discipline.view; recording and
# annulling by discipline.manage over the person (Sở Tư pháp's head, Sở Nội vụ, the admin).
DISCIPLINE: dict[str, list[Case]] = {
    "discipline:record_list": [
        Case(lambda w: _dis("record_list"), rule(_DIS_VIEW), hidden=_dis_hidden),
        Case(lambda w: _dis("record_list") + "?q=vo+thi+anh", rule(_DIS_VIEW), hidden=_dis_hidden),
        Case(
            lambda w: _dis("record_list") + "?don_vi=LDG-STC", rule(_DIS_VIEW), hidden=_dis_hidden
        ),
        Case(
            lambda w: _dis("record_list") + f"?can_bo={w['ld_cc'].pk}",
            rule(_DIS_VIEW),
            hidden=_dis_hidden,
        ),
    ],
    "discipline:record_export": [Case(lambda w: _dis("record_export"), _POST_ONLY, post=True)],
    "discipline:record_detail": [
        Case(
            lambda w: _dis("record_detail", w["stp_discipline"].pk),
            rule(_DIS_STP),
            secret=["5/QĐ-STP"],
            post=True,
        ),
        Case(
            lambda w: _dis("record_detail", w["ld_discipline"].pk),
            rule("admin"),
            secret=["7/QĐ-STC-LĐ"],
            post=True,
        ),
    ],
    "discipline:record_create": [
        Case(
            lambda w: _dis("record_create", w["stp_cc"].pk),
            rule("admin snv head_stp"),
            secret=["Võ Thị Ánh"],
            post=True,
        ),
        Case(
            lambda w: _dis("record_create", w["ld_cc"].pk),
            rule("admin"),
            secret=["Đoàn Thị Lâm"],
            post=True,
        ),
    ],
}


def _case_hidden(persona: str) -> list[str]:
    hidden = [] if persona == "admin" else ["Vụ việc Lâm Đồng", "Đoàn Thị Lâm"]
    return hidden + ([] if persona in _DIS_STP.split() else ["Vụ việc Sở Tư pháp", "Võ Thị Ánh"])


def _case_pages(name: str, *, post_only: bool = False) -> list[Case]:
    """One of a case's pages, for Sở Tư pháp's case (handled by its head, Sở Nội vụ and the
    admin; read also by the leaders and Sở Tư pháp's inspector) and for Lâm Đồng's (the admin
    only)."""
    manage = "admin snv head_stp"
    reads = name == "case_detail"
    stp = _POST_ONLY if post_only else rule(_DIS_STP if reads else manage)
    ld = _POST_ONLY if post_only else rule("admin")
    return [
        Case(
            lambda w: _dis(name, w["stp_case"].pk),
            stp,
            secret=[] if post_only else ["Võ Thị Ánh"],
            post=True,
        ),
        Case(
            lambda w: _dis(name, w["ld_case"].pk),
            ld,
            secret=[] if post_only else ["Đoàn Thị Lâm"],
            post=True,
        ),
    ]


# Discipline cases: read with discipline.view, handled with discipline.manage over the person.
DISCIPLINE_CASES: dict[str, list[Case]] = {
    "discipline:case_list": [
        Case(lambda w: _dis("case_list"), rule(_DIS_VIEW), hidden=_case_hidden),
        Case(
            lambda w: _dis("case_list") + "?trang_thai=qua_han",
            rule(_DIS_VIEW),
            hidden=_case_hidden,
        ),
        Case(
            lambda w: _dis("case_list") + f"?can_bo={w['ld_cc'].pk}",
            rule("admin"),
            hidden=_case_hidden,
        ),
    ],
    "discipline:case_detail": _case_pages("case_detail"),
    "discipline:case_decide": _case_pages("case_decide"),
    "discipline:case_pause": _case_pages("case_pause", post_only=True),
    "discipline:case_resume": _case_pages("case_resume", post_only=True),
    "discipline:case_council": _case_pages("case_council", post_only=True),
    "discipline:case_time_bar": _case_pages("case_time_bar", post_only=True),
    "discipline:case_drop": _case_pages("case_drop", post_only=True),
    "discipline:case_open": [
        Case(
            lambda w: _dis("case_open", w["stp_cc"].pk),
            rule("admin snv head_stp"),
            secret=["Võ Thị Ánh"],
            post=True,
        ),
        Case(
            lambda w: _dis("case_open", w["ld_cc"].pk),
            rule("admin"),
            secret=["Đoàn Thị Lâm"],
            post=True,
        ),
    ],
}


def _std(name: str, *args) -> str:
    return reverse(f"standards:{name}", args=args)


_STD_ALL = "admin snv head_syt head_stp staff leader mttq council inspector"
_STD_STP = "admin snv head_stp leader mttq inspector"  # unit scope of Sở Tư pháp
_RULES_ANY = "admin snv head_syt head_stp leader inspector"  # unit_rules.view somewhere
_RULES_STP = "admin snv head_stp leader inspector"  # unit_rules.view over Sở Tư pháp


def _std_cases(name: str, *, with_version: bool) -> list[Case]:
    def url(key: str | None):
        def build(w):
            code = "ca-nhan" if key is None else w[key].code
            version = "2019.1" if key is None else w[key].version
            return _std(name, code, version) if with_version else _std(name, code)

        return build

    return [
        Case(
            url(None),
            rule(_STD_ALL),
            secret=["ca-nhan.ky-cuong.1"] if name != "version_diff" else [],
        ),
        Case(
            url("stp_rules"),
            rule(_STD_STP),
            secret=["Cất hồ sơ mật vào tủ khóa"]
            if name != "version_diff"
            else ["Nội quy Sở Tư pháp"],
        ),
        Case(
            url("ld_rules"),
            rule("admin"),
            secret=["Sổ quỹ để trong két"]
            if name != "version_diff"
            else ["Nội quy Sở Tài chính Lâm Đồng"],
        ),
    ]


STANDARDS: dict[str, list[Case]] = {
    "standards:catalogue_list": [
        Case(
            lambda w: _std("catalogue_list"),
            rule(_STD_ALL),
            hidden=lambda p: (
                ([] if p == "admin" else ["Lâm Đồng"])
                + (["Nội quy Sở Tư pháp"] if p in ("head_syt", "staff", "council") else [])
            ),
        ),
    ],
    "standards:catalogue_detail": _std_cases("catalogue_detail", with_version=False),
    "standards:version_detail": _std_cases("version_detail", with_version=True),
    "standards:version_export": _std_cases("version_export", with_version=True),
    "standards:version_diff": _std_cases("version_diff", with_version=False),
    # A unit's internal rules and their coverage: unit_rules.view over the unit (Sở Nội vụ,
    # the inspectors, the leaders, its head); writes are POST-only, refusals in
    # standards/tests/test_unit_rules_views.py.
    "standards:rules_overview": [
        Case(
            lambda w: _std("rules_overview"),
            rule(_RULES_ANY),
            hidden=lambda p: [] if p == "admin" else ["Sở Tài chính tỉnh Lâm Đồng"],
        )
    ],
    "standards:rules_unit": [
        Case(
            lambda w: _std("rules_unit", w["stp"].pk),
            rule(_RULES_STP),
            secret=["sổ công văn Tư pháp"],
        ),
        Case(
            lambda w: _std("rules_unit", w["ld_stc"].pk),
            rule("admin"),
            secret=["két sắt Lâm Đồng"],
        ),
    ],
    "standards:rules_file": [
        Case(lambda w: _std("rules_file", w["stp_unit_rules"].pk), rule(_RULES_STP)),
        Case(lambda w: _std("rules_file", w["ld_unit_rules"].pk), rule("admin")),
    ],
    "standards:rules_create": [
        Case(lambda w: _std("rules_create", w["ld_stc"].pk), _POST_ONLY, post=True),
    ],
    **{
        f"standards:{name}": [
            Case(lambda w, name=name: _std(name, w["ld_unit_rules"].pk), _POST_ONLY, post=True),
        ]
        for name in ("rules_map", "rules_unmap")
    },
    "standards:supplement_create": [
        Case(
            lambda w: _std("supplement_create", w["stp"].pk),
            rule("admin snv head_stp"),
            secret=["Cất hồ sơ mật vào tủ khóa"],
            post=True,
        ),
        Case(
            lambda w: _std("supplement_create", w["ld_stc"].pk),
            rule("admin"),
            secret=["Sổ quỹ để trong két"],
            post=True,
        ),
    ],
}


def _admin(name: str, *args) -> str:
    return reverse(f"admin:{name}", args=args)


ADMIN_SITE: dict[str, list[Case]] = {
    "admin:index": [Case(lambda w: _admin("index"), rule("admin snv"), hidden=lambda p: [])],
    # The admin login page: a signed-in user without admin rights sees the form again.
    "admin:login": [
        Case(
            lambda w: _admin("login"),
            rule(
                "anon head_syt head_stp staff leader mttq council inspector outsider",
                admin=REDIRECT,
                snv=REDIRECT,
            ),
        ),
    ],
    # Logging out is POST only; the admin site sends anyone else to its index (then login).
    "admin:logout": [
        Case(
            lambda w: _admin("logout"),
            {
                **dict.fromkeys(PERSONAS, REDIRECT),
                "admin": METHOD_NOT_ALLOWED,
                "snv": METHOD_NOT_ALLOWED,
            },
        ),
    ],
    "admin:password_change": [Case(lambda w: _admin("password_change"), rule("admin snv"))],
    "admin:password_change_done": [
        Case(lambda w: _admin("password_change_done"), rule("admin snv"))
    ],
    "admin:autocomplete": [Case(lambda w: _admin("autocomplete"), rule())],
    "admin:jsi18n": [Case(lambda w: _admin("jsi18n"), rule("admin snv"))],
    # Every dated setting in force: Sở Nội vụ reads it; the form is the administrator's.
    "admin:settings_in_force": [
        Case(
            lambda w: _admin("settings_in_force"),
            rule("admin snv"),
            secret=["Quyết định tham số riêng của tỉnh Lâm Đồng"],
            post=True,
        ),
    ],
    "admin:view_on_site": [
        Case(lambda w: _admin("view_on_site", _ct(Unit), w["ld_stc"].pk), rule())
    ],
    "admin:app_list": [
        Case(lambda w: _admin("app_list", "organisations"), rule("admin snv"), hidden=lambda p: []),
        Case(lambda w: _admin("app_list", "auth"), rule()),
    ],
    "quan-tri/(?P<url>.*)$": [Case(lambda w: "/quan-tri/khong-co-trang-nay/", rule())],
    "admin:auth_user_password_change": [
        Case(
            lambda w: _admin("auth_user_password_change", w["user:ld"].pk),
            rule("admin"),
            secret=["nguoi_lamdong"],
            post=True,
        ),
    ],
}


def _ct(model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


@dataclass
class AdminModel:
    """Expected outcomes for one registered model, for the object of another unit."""

    obj: Callable[[World], object]
    changelist: str  # personas who get the (scoped) list
    change: str  # personas who may open the object (read-only)
    add: str = ""
    history: bool = True  # the model keeps simple_history records
    hidden_for_snv: list[str] = field(default_factory=list)


ADMIN_MODELS: dict[str, AdminModel] = {
    # Scoped by unit: the Sở Nội vụ officer's lists stop at the province.
    "organisations_unit": AdminModel(
        lambda w: w["ld_stc"], "admin snv", "admin", hidden_for_snv=["Lâm Đồng"]
    ),
    "organisations_unitversion": AdminModel(
        lambda w: w["ld_stc"].versions.latest("valid_from"),
        "admin snv",
        "admin",
        history=False,
        hidden_for_snv=["Lâm Đồng"],
    ),
    "organisations_lineageevent": AdminModel(
        lambda w: w["ld_event"], "admin snv", "admin", hidden_for_snv=["01/01/2024"]
    ),
    "organisations_staff": AdminModel(
        lambda w: w["ld_cc"], "admin snv", "admin", hidden_for_snv=["Đoàn", "Lâm Đồng"]
    ),
    "organisations_membership": AdminModel(
        lambda w: w["ld_cc"].memberships.get(),
        "admin snv",
        "admin",
        history=False,
        hidden_for_snv=["Lâm Đồng", "Đoàn Thị Lâm"],
    ),
    "accounts_roleassignment": AdminModel(
        lambda w: w["ld_role"],
        "admin snv",
        "admin",
        add="admin snv",
        hidden_for_snv=["nguoi_lamdong", "Lâm Đồng"],
    ),
    "evaluations_evaluationcycle": AdminModel(
        lambda w: w["ld_cycle"], "admin snv", "admin", history=False, hidden_for_snv=["Lâm Đồng"]
    ),
    "evaluations_evaluation": AdminModel(
        lambda w: w["ld_eval"],
        "admin snv",
        "admin",
        history=False,
        hidden_for_snv=["Đoàn Thị Lâm", "Lâm Đồng"],
    ),
    "evaluations_councildecision": AdminModel(
        lambda w: w["ld_decision"], "admin snv", "admin", history=False, hidden_for_snv=["Lâm Đồng"]
    ),
    "evaluations_transition": AdminModel(
        lambda w: w["ld_transition"],
        "admin snv",
        "admin",
        history=False,
        hidden_for_snv=["Đoàn Thị Lâm"],
    ),
    "evaluations_scorechange": AdminModel(
        lambda w: w["ld_score_change"],
        "admin snv",
        "admin",
        history=False,
        hidden_for_snv=["Đoàn Thị Lâm"],
    ),
    "discipline_disciplinerecord": AdminModel(
        lambda w: w["ld_discipline"],
        "admin snv",
        "admin",
        hidden_for_snv=["7/QĐ-STC-LĐ", "Đoàn Thị Lâm"],
    ),
    "standards_catalogue": AdminModel(
        lambda w: Catalogue.objects.get(code=w["ld_rules"].code),
        "admin snv",
        "admin",
        history=False,
        hidden_for_snv=["Lâm Đồng"],
    ),
    "standards_catalogueversion": AdminModel(
        lambda w: CatalogueVersion.objects.get(pk=w["ld_rules"].version_id),
        "admin snv",
        "admin",
        history=False,
        hidden_for_snv=["Lâm Đồng"],
    ),
    "standards_criterion": AdminModel(
        lambda w: Criterion.objects.get(version_id=w["ld_rules"].version_id),
        "admin snv",
        "admin",
        history=False,
        hidden_for_snv=["Sổ quỹ để trong két"],
    ),
    # No unit: the system administrator only (the officer sees an empty list).
    "core_auditlog": AdminModel(
        lambda w: AuditLog.objects.filter(object_repr__contains="Lâm Đồng").first(),
        "admin snv",
        "admin",
        history=False,
        hidden_for_snv=["Lâm Đồng"],
    ),
    "organisations_importjob": AdminModel(
        lambda w: w["job"],
        "admin snv",
        "admin",
        history=False,
        hidden_for_snv=["can-bo-tu-phap.xlsx"],
    ),
    "core_settingoverride": AdminModel(
        lambda w: w["override"],
        "admin snv",
        "admin",
        history=False,
        hidden_for_snv=["Quyết định tham số riêng"],
    ),
    "accounts_apitoken": AdminModel(
        lambda w: ApiToken.objects.get(label="Lâm Đồng"), "admin", "admin", history=False
    ),
    "accounts_user": AdminModel(
        lambda w: w["user:ld"], "admin", "admin", add="admin", history=False
    ),
    # Django-permission models: the role "admin" holds no Django permissions, so
    # nobody here gets in (a createsuperuser account would).
    "auth_group": AdminModel(lambda w: w["group"], "", "", history=False),
    "axes_accessattempt": AdminModel(lambda w: w["axes_attempt"], "", "", history=False),
    "axes_accesslog": AdminModel(lambda w: w["axes_log"], "", "", history=False),
    "axes_accessfailurelog": AdminModel(lambda w: w["axes_failure"], "", "", history=False),
}


def _admin_model_cases(label: str, spec: AdminModel) -> dict[str, list[Case]]:
    app, model = label.split("_", 1)

    def obj_url(kind: str) -> Callable[[World], str]:
        return lambda w: _admin(f"{label}_{kind}", spec.obj(w).pk)

    def secret(w: World) -> list[str]:
        return [str(spec.obj(w))]

    def hidden(persona: str) -> list[str]:
        return spec.hidden_for_snv if persona == "snv" else []

    cases = {
        f"admin:{label}_changelist": [
            Case(lambda w: _admin(f"{label}_changelist"), rule(spec.changelist), hidden=hidden)
        ],
        f"admin:{label}_add": [Case(lambda w: _admin(f"{label}_add"), rule(spec.add), post=True)],
        f"admin:{label}_change": [
            Case(obj_url("change"), rule(spec.change), secret=secret, post=True)
        ],
        f"admin:{label}_history": [Case(obj_url("history"), rule(spec.change), secret=secret)],
        # Nothing is deleted through the admin, not even by the system administrator.
        f"admin:{label}_delete": [Case(obj_url("delete"), rule(), secret=secret, post=True)],
        # The bare object URL redirects to the change page (checked above).
        f"quan-tri/{app}/{model}/<path:object_id>/": [
            Case(
                lambda w: f"/quan-tri/{app}/{model}/{spec.obj(w).pk}/",
                rule(admin=REDIRECT, snv=REDIRECT),
            ),
        ],
    }
    if spec.history:
        cases[f"admin:{label}_simple_history"] = [
            Case(
                lambda w: _admin(
                    f"{label}_simple_history",
                    spec.obj(w).pk,
                    _history_id(type(spec.obj(w)), spec.obj(w).pk),
                ),
                rule(spec.change),
                secret=secret,
            )
        ]
    return cases


def _rep(name: str, *args) -> str:
    return reverse(f"feedback:{name}", args=args)


# Issue 4: public pages for everyone; handling within REPORT_HANDLE scope; supervision within
# FEEDBACK_VIEW scope. The reporter's name shows on no page reached by GET, for anyone.
_HANDLE_ALL = "admin snv head_syt head_stp"
_FEEDBACK_ALL = "admin snv head_syt head_stp leader mttq inspector"
_FEEDBACK_STP = "admin snv head_stp leader mttq inspector"


def _reports_hidden(persona: str) -> list[str]:
    hidden = ["Người Báo Tin Bí Mật", "0912345678"]
    if persona != "admin":
        hidden += ["Chuyện ở Lâm Đồng", "Giám sát Lâm Đồng", "Sở Tài chính tỉnh Lâm Đồng"]
    if persona in ("head_syt", "staff", "council", "outsider", "anon"):
        hidden += ["Chuyện ở Sở Tư pháp", "Giám sát Sở Tư pháp"]
    return hidden


def _code(key: str) -> Callable[[World], str]:
    from congvu.feedback.rules import tracking_code_display

    return lambda w: tracking_code_display(w[key].code)


REPORTS: dict[str, list[Case]] = {
    "feedback:public_start": [
        Case(
            lambda w: _rep("public_start") + "?q=tu phap",
            dict.fromkeys(PERSONAS, OK),
            secret=["Sở Tư pháp"],
            hidden=lambda p: ["Người Báo Tin Bí Mật"],
        ),
    ],
    "feedback:public_form": [
        Case(
            lambda w: _rep("public_form") + "?don_vi=KHA-STP",
            dict.fromkeys(PERSONAS, OK),
            secret=["Sở Tư pháp"],
            post=True,
            hidden=lambda p: ["Chuyện ở Sở Tư pháp"],
        ),
    ],
    "feedback:public_track": [
        Case(lambda w: _rep("public_track"), dict.fromkeys(PERSONAS, OK)),
        Case(
            lambda w: _rep("public_track") + f"?ma={w['ld_report'].code}",
            dict.fromkeys(PERSONAS, OK),
            secret=["Sở Tài chính tỉnh Lâm Đồng"],
            hidden=lambda p: ["Người Báo Tin Bí Mật", "Chuyện ở Lâm Đồng"],
        ),
    ],
    "feedback:handling_list": [
        Case(lambda w: _rep("handling_list"), rule(_HANDLE_ALL), hidden=_reports_hidden),
        Case(
            lambda w: _rep("handling_list") + "?q=chuyen", rule(_HANDLE_ALL), hidden=_reports_hidden
        ),
    ],
    # A background job started by a POST, as the staff and discipline exports: what its file
    # holds is checked per persona by test_export_jobs_hold_only_the_creators_scope.
    "feedback:handling_export": [Case(lambda w: _rep("handling_export"), _POST_ONLY, post=True)],
    "feedback:handling_detail": [
        Case(
            lambda w: _rep("handling_detail", w["stp_report"].pk),
            rule("admin snv head_stp"),
            secret=["Chuyện ở Sở Tư pháp"],
            post=True,
            hidden=lambda p: ["Người Báo Tin Bí Mật"],
        ),
        Case(
            lambda w: _rep("handling_detail", w["ld_report"].pk),
            rule("admin"),
            secret=["Chuyện ở Lâm Đồng"],
            post=True,
            hidden=lambda p: ["Người Báo Tin Bí Mật"],
        ),
    ],
    "feedback:attachment_download": [
        Case(
            lambda w: _rep("attachment_download", w["stp_report"].pk, 1), rule("admin snv head_stp")
        ),
        Case(lambda w: _rep("attachment_download", w["ld_report"].pk, 1), rule()),  # it has none
    ],
    "feedback:supervision_reports": [
        Case(lambda w: _rep("supervision_reports"), rule(_FEEDBACK_ALL), hidden=_reports_hidden),
    ],
    "feedback:supervision_report": [
        Case(
            lambda w: _rep("supervision_report", w["stp_report"].pk),
            rule(_FEEDBACK_STP),
            secret=["Chuyện ở Sở Tư pháp"],
            hidden=lambda p: ["Người Báo Tin Bí Mật"],
        ),
        Case(
            lambda w: _rep("supervision_report", w["ld_report"].pk),
            rule("admin"),
            secret=["Chuyện ở Lâm Đồng"],
        ),
    ],
    "feedback:finding_list": [
        Case(lambda w: _rep("finding_list"), rule(_FEEDBACK_ALL), hidden=_reports_hidden),
    ],
    "feedback:finding_create": [
        Case(
            lambda w: _rep("finding_create"),
            rule("admin mttq"),
            post=True,
            hidden=lambda p: [] if p == "admin" else ["Sở Tài chính tỉnh Lâm Đồng"],
        ),
    ],
    "feedback:finding_detail": [
        Case(
            lambda w: _rep("finding_detail", w["stp_finding"].pk),
            rule(_FEEDBACK_STP),
            secret=["Giám sát Sở Tư pháp"],
            post=True,
        ),
        Case(
            lambda w: _rep("finding_detail", w["ld_finding"].pk),
            rule("admin"),
            secret=["Giám sát Lâm Đồng"],
            post=True,
        ),
    ],
    "api:reports": [
        Case(
            lambda w: reverse("api:reports"), rule(PERSONAS_AUTH), api=True, hidden=_reports_hidden
        ),
        Case(
            lambda w: reverse("api:reports") + "?unit=LDG-STC",
            rule("admin"),
            api=True,
            secret=["Chuyện ở Lâm Đồng"],
            hidden=lambda p: ["Người Báo Tin Bí Mật"],
        ),
    ],
}


def _rt(name: str, *args) -> str:
    return reverse(f"ratings:{name}", args=args)


def _rt_token(w: World, key: str) -> str:
    return w[key].tokens.get(revoked_at=None).token


FOLLOW_UP_PHONE = "0987654321"  # left with the low ratings: in full for nobody here
_FEEDBACK = "admin snv head_syt head_stp leader mttq inspector"  # FEEDBACK_VIEW somewhere
_DESKS = "admin snv head_syt head_stp"  # DESK_MANAGE somewhere


def _rt_desk_cases(name: str, *extra, post: bool = False, method_not_allowed: bool = False):
    def expect(ok: str) -> dict[str, str]:
        if method_not_allowed:
            return {p: METHOD_NOT_ALLOWED if p in ok.split() else DENY for p in PERSONAS}
        return rule(ok)

    readable = name in ("desk_detail", "desk_edit")
    return [
        Case(
            lambda w: _rt(name, w["stp_desk"].pk, *extra),
            expect("admin snv head_stp"),
            secret=["Quầy hộ tịch Tư pháp"] if readable else [],
            post=post,
            hidden=lambda p: [FOLLOW_UP_PHONE],
        ),
        Case(
            lambda w: _rt(name, w["ld_desk"].pk, *extra),
            expect("admin"),
            secret=["Quầy Lâm Đồng số 9"] if readable else [],
            post=post,
            hidden=lambda p: [FOLLOW_UP_PHONE],
        ),
    ]


RATINGS: dict[str, list[Case]] = {
    "ratings:dashboard": [
        Case(
            lambda w: _rt("dashboard"),
            rule(_FEEDBACK),
            hidden=lambda p: [] if p == "admin" else ["Lâm Đồng"],
        ),
        Case(
            lambda w: _rt("dashboard") + f"?don-vi={w['stp'].pk}",
            rule("admin snv head_stp leader mttq inspector"),
            secret=["Quầy hộ tịch Tư pháp"],
        ),
        Case(
            lambda w: _rt("dashboard") + f"?don-vi={w['ld_stc'].pk}",
            rule("admin"),
            secret=["Quầy Lâm Đồng số 9"],
        ),
    ],
    "ratings:desk_list": [
        Case(
            lambda w: _rt("desk_list"),
            rule(_DESKS),
            hidden=lambda p: (
                ([] if p == "admin" else ["Quầy Lâm Đồng số 9"])
                + (["Quầy hộ tịch Tư pháp"] if p == "head_syt" else [])
                + (["Quầy bác sĩ An"] if p == "head_stp" else [])
            ),
        ),
    ],
    "ratings:desk_create": [
        Case(
            lambda w: _rt("desk_create"),
            rule(_DESKS),
            post=True,
            hidden=lambda p: [] if p == "admin" else ["Lâm Đồng"],
        ),
    ],
    "ratings:desk_detail": _rt_desk_cases("desk_detail"),
    "ratings:desk_edit": _rt_desk_cases("desk_edit", post=True),
    "ratings:desk_rotate": _rt_desk_cases("desk_rotate", post=True, method_not_allowed=True),
    "ratings:desk_poster": _rt_desk_cases("desk_poster", "a5", "png"),
    "ratings:review": [
        Case(
            lambda w: _rt("review"),
            rule(_DESKS),
            post=True,
            hidden=lambda p: (
                ([] if p == "admin" else ["Phàn nàn ở Lâm Đồng"])
                + (["Phàn nàn ở Tư pháp"] if p == "head_syt" else [])
            ),
        ),
    ],
    # Whoever calls citizens back (the "handler" role): no persona here, not the administrator.
    "ratings:follow_up": [
        Case(lambda w: _rt("follow_up"), rule(), hidden=lambda p: [FOLLOW_UP_PHONE]),
    ],
    "ratings:staff_index": [
        Case(
            lambda w: _rt("staff_index", w["stp_cc"].pk),
            rule("admin snv head_stp leader mttq inspector"),
            secret=["Võ Thị Ánh"],
        ),
        Case(lambda w: _rt("staff_index", w["ld_cc"].pk), rule("admin"), secret=["Đoàn Thị Lâm"]),
        Case(
            lambda w: _rt("staff_index", w["syt_cc"].pk),  # the staff persona's own record
            rule("admin snv head_syt staff leader mttq"),
            secret=["Nguyễn Văn An"],
        ),
    ],
    # Citizens' pages: public by design, the same for everyone.
    "ratings_public:rate": [
        Case(
            lambda w: reverse("ratings_public:rate", args=[_rt_token(w, "ld_desk")]),
            dict.fromkeys(PERSONAS, OK),
            secret=["Quầy Lâm Đồng số 9"],
            post=True,
        ),
        Case(
            lambda w: reverse("ratings_public:rate", args=[w["ld_old_token"]]),  # revoked: 410
            dict.fromkeys(PERSONAS, SOFT),
            post=True,
        ),
    ],
    "ratings_public:stats": [
        Case(
            lambda w: reverse("ratings_public:stats"),
            dict.fromkeys(PERSONAS, OK),
            hidden=lambda p: ["Phàn nàn"],
        ),
    ],
    "api:ratings_push": [  # POST only; the API tests check scope per item
        Case(
            lambda w: reverse("api:ratings_push"),
            dict.fromkeys(PERSONAS, METHOD_NOT_ALLOWED),
            api=True,
        ),
    ],
}


# --- Plans: one of the province assigned to Sở Tư pháp, one of Lâm Đồng ----------------------


def _plans_world(w: World, p) -> None:
    from congvu.plans import services as plans

    def plan(code: str, owner, title: str, units, day: date):
        document = plans.document_create(
            actor=SYSTEM,
            doc_type="ke_hoach",
            code=code,
            issued_on=day,
            issuer=owner.name,
            summary=title,
        )
        made = plans.plan_create(
            actor=SYSTEM,
            document=document,
            owner=owner,
            title=title,
            tasks=[plans.TaskSpec("1", "Báo cáo hằng năm", {"kind": "by_year", "year": 2026})],
        )
        plans.plan_assign(actor=SYSTEM, plan=made, units=units, day=day)
        return made

    w["stp_plan"] = plan(
        "12/KH-UBND", w["kh"], "Kế hoạch riêng Sở Tư pháp", [w["stp"]], date(2026, 1, 5)
    )
    w["ld_plan"] = plan("7/KH-UBND", w["ld"], "Kế hoạch Lâm Đồng", [w["ld_stc"]], date(2026, 1, 5))
    _periodic_reports_world(w, p)
    _violations_world(w, p)
    _emulation_nominations_world(w, p)
    _emulation_movements_world(w, p)
    _emulation_council_world(w, p)
    _emulation_board_world(w, p)


def _violations_world(w: World, p) -> None:
    from congvu.standards.models import Criterion
    from congvu.violations import services as violations

    criterion = Criterion.objects.filter(stable_id="vhcs.the.1").first()

    def violation(unit, text):
        spec = violations.ViolationSpec(
            unit=unit,
            criterion=criterion,
            source="internal",
            occurred_on=date(2026, 3, 2),
            found_on=date(2026, 3, 2),
            description=text,
        )
        return violations.violation_record(actor=SYSTEM, spec=spec)

    w["stp_violation"] = violation(w["stp"], "Vi phạm ở Sở Tư pháp")
    w["ld_violation"] = violation(w["ld_stc"], "Vi phạm ở Lâm Đồng")
    w["ld_recommendation"] = violations.recommendation_issue(
        actor=w["user:ld"],
        violation=w["ld_violation"],
        responsible_unit=w["ld_stc"],
        content="Khắc phục ở Lâm Đồng",
        due_on=date(2026, 12, 31),
    )


def _periodic_reports_world(w: World, p) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from congvu.plans import reporting
    from congvu.plans import services as plans
    from congvu.plans.models import ExplanationRequest, ReportTemplate

    w["stp_periodic"] = reporting.report_start(
        actor=p.users["head_stp"], plan=w["stp_plan"], unit=w["stp"], year=2026
    )
    w["ld_periodic"] = reporting.report_start(
        actor=w["user:ld"], plan=w["ld_plan"], unit=w["ld_stc"], year=2026
    )
    w["ld_entry"] = plans.progress_record(
        actor=w["user:ld"],
        task=w["ld_plan"].tasks.get(),
        unit=w["ld_stc"],
        on=date(2026, 11, 2),
        state="in_progress",
        text="Tiến độ ở Lâm Đồng",
        evidence=[SimpleUploadedFile("lam-dong.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
    )
    w["ld_file"] = w["ld_entry"].evidence.get()
    w["ld_template"] = ReportTemplate.objects.create(
        name="Mẫu Lâm Đồng", owner=w["ld"], sections=[], created_by=w["user:ld"]
    )
    w["ld_explain"] = ExplanationRequest.objects.create(
        task=w["ld_plan"].tasks.get(),
        unit=w["ld_stc"],
        question="Giải trình Lâm Đồng",
        asked_by=w["user:ld"],
        asked_at=timezone.now(),
    )


_PLAN_STP = "admin snv leader head_stp inspector"  # plan.view over the issuer or Sở Tư pháp


def _plans_hidden(persona: str) -> list[str]:
    hidden = [] if persona == "admin" else ["Kế hoạch Lâm Đồng"]
    return hidden + ([] if persona in _PLAN_STP.split() else ["Kế hoạch riêng Sở Tư pháp"])


def _plan(pk: int, query: str = "") -> str:
    return reverse("api:plan_detail", kwargs={"plan_id": pk}) + query


PLANS = {
    "api:plans": [
        Case(lambda w: reverse("api:plans"), rule(PERSONAS_AUTH), api=True, hidden=_plans_hidden)
    ],
    "api:plan_detail": [
        Case(
            lambda w: _plan(w["stp_plan"].pk),
            rule(_PLAN_STP),
            api=True,
            secret=["Kế hoạch riêng Sở Tư pháp"],
        ),
        Case(
            lambda w: _plan(w["stp_plan"].pk, "?as_of=2026-11-21"),
            rule(_PLAN_STP),
            api=True,
            secret=["Kế hoạch riêng Sở Tư pháp", "KHA-STP"],
        ),
        Case(
            lambda w: _plan(w["ld_plan"].pk, "?as_of=2026-11-21"),
            rule("admin"),
            api=True,
            secret=["Kế hoạch Lâm Đồng", "LDG-STC"],
        ),
    ],
}


# The plans pages: the same scope as the API; a unit's obligations by plan.view over the unit;
# the writes are POST-only (their refusals are in plans/tests/test_views.py).
_PLAN_ANY = "admin snv head_syt head_stp leader council inspector"  # plan.view somewhere


def _pl(name: str, *args) -> str:
    return reverse(f"plans:{name}", args=args)


PLAN_PAGES: dict[str, list[Case]] = {
    "plans:plan_list": [
        Case(lambda w: _pl("plan_list"), rule(_PLAN_ANY), hidden=_plans_hidden),
        Case(lambda w: _pl("plan_list") + "?q=ke+hoach", rule(_PLAN_ANY), hidden=_plans_hidden),
    ],
    "plans:document_list": [
        Case(lambda w: _pl("document_list") + "?q=ke+hoach&loai=ke_hoach", rule(_PLAN_ANY))
    ],
    "plans:my_obligations": [
        Case(
            lambda w: _pl("my_obligations"),
            rule(snv=REDIRECT, head_syt=REDIRECT, head_stp=REDIRECT),
        )
    ],
    "plans:plan_detail": [
        Case(
            lambda w: _pl("plan_detail", w["stp_plan"].pk),
            rule(_PLAN_STP),
            secret=["Kế hoạch riêng Sở Tư pháp"],
        ),
        Case(
            lambda w: _pl("plan_detail", w["ld_plan"].pk) + "?ngay=21/11/2026",
            rule("admin"),
            secret=["Kế hoạch Lâm Đồng", "Sở Tài chính tỉnh Lâm Đồng"],
        ),
    ],
    **{
        f"plans:{name}": [
            Case(lambda w, name=name: _pl(name, w["stp_plan"].pk), rule(_PLAN_STP)),
            Case(lambda w, name=name: _pl(name, w["ld_plan"].pk), rule("admin")),
        ]
        for name in ("plan_docx", "plan_xlsx")
    },
    "plans:plan_assign": [
        Case(lambda w: _pl("plan_assign", w["ld_plan"].pk), _POST_ONLY, post=True),
    ],
    "plans:progress_export": [
        Case(lambda w: _pl("progress_export", w["ld_plan"].pk), _POST_ONLY, post=True),
    ],
    "plans:task_event_date": [
        Case(
            lambda w: _pl("task_event_date", w["ld_plan"].pk, w["ld_plan"].tasks.get().pk),
            _POST_ONLY,
            post=True,
        ),
    ],
    "plans:obligations": [
        Case(
            lambda w: _pl("obligations", w["stp"].pk),
            rule(_PLAN_STP),
            secret=["Kế hoạch riêng Sở Tư pháp"],
        ),
        Case(
            lambda w: _pl("obligations", w["ld_stc"].pk),
            rule("admin"),
            secret=["Kế hoạch Lâm Đồng"],
        ),
    ],
    "plans:progress_create": [
        Case(
            lambda w: _pl("progress_create", w["ld_stc"].pk, w["ld_plan"].tasks.get().pk),
            _POST_ONLY,
            post=True,
        ),
    ],
}


# The periodic reports: a report, its files and figures as its unit's (plan.view over it), the
# board as the plan; templates as their issuer; requests to explain as their unit.
def _hide_ld(persona: str) -> list[str]:
    return (
        []
        if persona == "admin"
        else ["Sở Tài chính tỉnh Lâm Đồng", "Mẫu Lâm Đồng", "Giải trình Lâm Đồng"]
    )


def _figure(w: World, report: str) -> str:
    return _pl("report_figure", w[report].pk, w[report].content["figures"][0]["key"])


PERIODIC_PAGES: dict[str, list[Case]] = {
    **{
        f"plans:{name}": [Case(lambda w, name=name: _pl(name), rule(_PLAN_ANY), hidden=_hide_ld)]
        for name in ("report_list", "explanation_list", "template_list")
    },
    "plans:report_detail": [
        Case(lambda w: _pl("report_detail", w["stp_periodic"].pk), rule(_PLAN_STP)),
        Case(
            lambda w: _pl("report_detail", w["ld_periodic"].pk),
            rule("admin"),
            secret=["Sở Tài chính tỉnh Lâm Đồng"],
        ),
    ],
    "plans:report_docx": [
        Case(lambda w: _pl("report_docx", w["stp_periodic"].pk), rule(_PLAN_STP)),
        Case(lambda w: _pl("report_docx", w["ld_periodic"].pk), rule("admin")),
    ],
    "plans:report_figure": [
        Case(lambda w: _figure(w, "stp_periodic"), rule(_PLAN_STP)),
        Case(lambda w: _figure(w, "ld_periodic"), rule("admin")),
    ],
    **{
        f"plans:{name}": [
            Case(lambda w, name=name: _pl(name, w["ld_periodic"].pk), _POST_ONLY, post=True)
        ]
        for name in ("report_move", "report_refresh")
    },
    "plans:report_start": [
        Case(
            lambda w: _pl("report_start", w["ld_plan"].pk, w["ld_stc"].pk, 2026),
            _POST_ONLY,
            post=True,
        )
    ],
    **{
        f"plans:{name}": [
            Case(lambda w, name=name: _pl(name, w["stp_plan"].pk, 2026), rule(_PLAN_STP)),
            Case(lambda w, name=name: _pl(name, w["ld_plan"].pk, 2026), rule("admin")),
        ]
        for name in ("cycle_board", "cycle_board_xlsx")
    },
    "plans:consolidated_start": [
        Case(lambda w: _pl("consolidated_start", w["ld_plan"].pk, 2026), _POST_ONLY, post=True)
    ],
    "plans:plan_template": [
        Case(lambda w: _pl("plan_template", w["ld_plan"].pk), _POST_ONLY, post=True)
    ],
    "plans:template_detail": [
        Case(
            lambda w: _pl("template_detail", w["ld_template"].pk),
            rule("admin"),
            secret=["Mẫu Lâm Đồng"],
        )
    ],
    "plans:evidence_add": [
        Case(lambda w: _pl("evidence_add", w["ld_entry"].pk), _POST_ONLY, post=True)
    ],
    "plans:evidence_download": [
        Case(lambda w: _pl("evidence_download", w["ld_file"].pk), rule("admin"))
    ],
    "plans:explanation_detail": [
        Case(
            lambda w: _pl("explanation_detail", w["ld_explain"].pk),
            rule("admin"),
            secret=["Giải trình Lâm Đồng"],
        )
    ],
    "plans:unit_task_create": [
        Case(
            lambda w: _pl("unit_task_create", w["ld_stc"].pk, w["ld_plan"].tasks.get().pk),
            _POST_ONLY,
            post=True,
        )
    ],
    "plans:explanation_ask": [
        Case(
            lambda w: _pl(
                "explanation_ask", w["ld_plan"].pk, w["ld_stc"].pk, w["ld_plan"].tasks.get().pk
            ),
            _POST_ONLY,
            post=True,
        )
    ],
}

# Violations: read as the discipline register (discipline.view over the unit); recorded by
# discipline.manage; statistics across units: Sở Nội vụ only (violation.stats).
_VIOLATION_STP = "admin snv leader head_stp inspector"  # discipline.view over Sở Tư pháp
_DISCIPLINE_ANY = "admin snv head_syt head_stp leader council inspector"


def _vi(name: str, *args) -> str:
    return reverse(f"violations:{name}", args=args)


def _hide_ld_violation(persona: str) -> list[str]:
    return [] if persona == "admin" else ["Vi phạm ở Lâm Đồng"]


VIOLATION_PAGES: dict[str, list[Case]] = {
    "violations:violation_list": [
        Case(lambda w: _vi("violation_list"), rule(_DISCIPLINE_ANY), hidden=_hide_ld_violation),
        Case(
            lambda w: _vi("violation_list") + "?nam=2026&nguon=internal&q=the",
            rule(_DISCIPLINE_ANY),
        ),
    ],
    "violations:violation_create": [
        Case(lambda w: _vi("violation_create"), rule("admin snv head_syt head_stp"))
    ],
    "violations:statistics": [
        Case(lambda w: _vi("statistics"), rule("admin snv")),
        Case(lambda w: _vi("statistics") + f"?nam=2026&don_vi={w['ld'].pk}", rule("admin")),
    ],
    "violations:violation_detail": [
        Case(
            lambda w: _vi("violation_detail", w["stp_violation"].pk),
            rule(_VIOLATION_STP),
            secret=["Vi phạm ở Sở Tư pháp"],
        ),
        Case(
            lambda w: _vi("violation_detail", w["ld_violation"].pk),
            rule("admin"),
            secret=["Vi phạm ở Lâm Đồng"],
        ),
    ],
    **{
        f"violations:{name}": [
            Case(lambda w, name=name: _vi(name, w["ld_violation"].pk), _POST_ONLY, post=True)
        ]
        for name in ("recommendation_create", "violation_withdraw")
    },
    "violations:remedy_move": [
        Case(lambda w: _vi("remedy_move", w["ld_recommendation"].pk), _POST_ONLY, post=True)
    ],
    "violations:evidence_download": [Case(lambda w: _vi("evidence_download", 999_999), rule())],
    "violations:from_finding": [
        Case(lambda w: _vi("from_finding", 999_999), _POST_ONLY, post=True)
    ],
}


# --- Inspections: one of Sở Tư pháp by Sở Nội vụ (started, answered, with a photo), one of
# Lâm Đồng that nobody here but the administrator reaches ---------------------------------------


def _inspections_world(w: World, p) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from congvu.inspections import services as inspections

    def spec(owner, unit, title: str):
        return inspections.InspectionSpec(
            owner=owner,
            unit=unit,
            kind="planned",
            title=title,
            scheduled_on=date(2026, 11, 20),
            decision_code="9/QĐ-KT",
            decision_date=date(2026, 11, 1),
            areas=("E",),
        )

    w["stp_insp"] = inspections.inspection_create(
        actor=p.users["snv"], spec=spec(w["snv"], w["stp"], "Kiểm tra công sở Sở Tư pháp")
    )
    inspections.team_set(actor=p.users["snv"], inspection=w["stp_insp"], lead=p.users["snv"])
    inspections.inspection_start(actor=p.users["snv"], inspection=w["stp_insp"])
    item = w["stp_insp"].items.get(code="E1")
    inspections.answer_record(
        actor=p.users["snv"],
        item=item,
        result="not_compliant",
        note="Quốc huy Tư pháp bị bạc màu",
        key="matrix-answer-0000000001",
    )
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 10)).save(picture, "JPEG")
    w["stp_photo"] = inspections.photo_attach(
        actor=p.users["snv"], item=item, upload=SimpleUploadedFile("qh.jpg", picture.getvalue())
    )
    w["ld_insp"] = inspections.inspection_create(
        actor=w["user:ld"],
        spec=spec(w["ld_stc"], w["ld_stc"], "Kiểm tra công sở Lâm Đồng"),
    )
    w["ld_item"] = w["ld_insp"].items.first()


_INSP_STP = "admin snv head_stp leader mttq inspector"  # who reaches the Sở Tư pháp inspection
_INSP_ANY = "admin snv head_syt head_stp leader mttq inspector"  # inspection.view/manage somewhere
_INSP_ORG = "admin snv head_syt head_stp"  # inspection.manage: organise plans and inspections


def _ins(name: str, *args) -> str:
    return reverse(f"inspections:{name}", args=args)


def _insp_hidden(persona: str) -> list[str]:
    hidden = [] if persona == "admin" else ["Kiểm tra công sở Lâm Đồng"]
    return hidden + ([] if persona in _INSP_STP.split() else ["Kiểm tra công sở Sở Tư pháp"])


INSPECTION_PAGES: dict[str, list[Case]] = {
    "inspections:inspection_list": [
        Case(lambda w: _ins("inspection_list"), rule(_INSP_ANY), hidden=_insp_hidden),
        Case(
            lambda w: _ins("inspection_list") + "?trang_thai=in_progress",
            rule(_INSP_ANY),
            hidden=_insp_hidden,
        ),
    ],
    "inspections:inspection_detail": [
        Case(
            lambda w: _ins("inspection_detail", w["stp_insp"].pk),
            rule(_INSP_STP),
            secret=["Kiểm tra công sở Sở Tư pháp", "Quốc huy Tư pháp bị bạc màu"],
        ),
        Case(
            lambda w: _ins("inspection_detail", w["ld_insp"].pk),
            rule("admin"),
            secret=["Kiểm tra công sở Lâm Đồng"],
        ),
    ],
    "inspections:bien_ban": [
        Case(lambda w: _ins("bien_ban", w["stp_insp"].pk), rule(_INSP_STP)),
        Case(lambda w: _ins("bien_ban", w["ld_insp"].pk), rule("admin")),
    ],
    "inspections:checklist": [
        Case(
            lambda w: _ins("checklist", w["stp_insp"].pk),
            rule("snv"),  # the team only
            secret=["Quốc huy Tư pháp bị bạc màu"],
        ),
        Case(lambda w: _ins("checklist", w["ld_insp"].pk), rule()),
    ],
    "inspections:photo_download": [
        Case(lambda w: _ins("photo_download", w["stp_photo"].pk), rule(_INSP_STP)),
    ],
    # Organising: in the name of one's own unit, of units in one's manage scope only.
    "inspections:plan_create": [
        Case(lambda w: _ins("plan_create"), rule(_INSP_ORG), post=True, hidden=hidden_units)
    ],
    "inspections:inspection_create": [
        Case(lambda w: _ins("inspection_create"), rule(_INSP_ORG), post=True, hidden=hidden_units)
    ],
    "inspections:team_set": [
        Case(
            lambda w: _ins("team_set", w["stp_insp"].pk),
            rule("admin snv"),  # the organiser (Sở Nội vụ), not the inspected unit's head
            secret=["Kiểm tra công sở Sở Tư pháp"],
            hidden=hidden_staff,
            post=True,
        ),
        Case(
            lambda w: _ins("team_set", w["ld_insp"].pk),
            rule("admin"),
            secret=["Kiểm tra công sở Lâm Đồng"],
            post=True,
        ),
    ],
    "inspections:inspection_move": [
        Case(lambda w: _ins("inspection_move", w["ld_insp"].pk), _POST_ONLY, post=True)
    ],
    **{
        f"inspections:{name}": [
            Case(
                lambda w, name=name: _ins(name, w["ld_insp"].pk, w["ld_item"].pk),
                _POST_ONLY,
                post=True,
            )
        ]
        for name in ("answer_post", "photo_post")
    },
}

# --- Emulation: nominations (issue 13) -------------------------------------------------------------


def _emulation_nominations_world(w: World, p) -> None:
    """Objects of the emulation nominations pages, in Sở Tư pháp (in the province) and in Lâm Đồng."""
    from congvu.emulation.models import Nomination

    def nomination(unit, staff, text, by):
        return Nomination.objects.create(
            unit=unit, staff=staff, award="LDTT", year=2025, summary=text, created_by=by
        )

    w["stp_nomination"] = nomination(
        w["stp"], w["stp_cc"], "Đề nghị khen Sở Tư pháp", p.users["head_stp"]
    )
    w["ld_nomination"] = nomination(w["ld_stc"], w["ld_cc"], "Đề nghị khen Lâm Đồng", w["user:ld"])


_EMU_ANY = "admin snv head_syt head_stp leader council"  # emulation.view somewhere
_EMU_STP = "admin snv head_stp leader"  # emulation.view over Sở Tư pháp


def _emu(name: str, *args) -> str:
    return reverse(f"emulation:{name}", args=args)


def _emu_hidden(persona: str) -> list[str]:
    hidden = [] if persona == "admin" else ["Đoàn Thị Lâm"]
    return hidden + ([] if persona in _EMU_STP.split() else ["Võ Thị Ánh"])


EMULATION_NOMINATIONS: dict[str, list[Case]] = {
    "emulation:nomination_list": [
        Case(lambda w: _emu("nomination_list"), rule(_EMU_ANY), hidden=_emu_hidden),
        Case(lambda w: _emu("nomination_list") + "?nam=2025&dh=LDTT&tt=draft", rule(_EMU_ANY)),
    ],
    "emulation:nomination_create": [
        Case(lambda w: _emu("nomination_create"), rule("admin snv head_syt head_stp")),
        Case(
            lambda w: _emu("nomination_create") + f"?doi_tuong=s:{w['ld_cc'].pk}",
            rule("admin snv head_syt head_stp"),
            hidden=lambda persona: [] if persona == "admin" else ["Đoàn Thị Lâm"],
            post=True,
        ),
    ],
    **{
        f"emulation:{name}": [
            Case(
                lambda w, name=name: _emu(name, w["stp_nomination"].pk),
                rule(_EMU_STP),
                secret=["Đề nghị khen Sở Tư pháp"] if name == "nomination_detail" else [],
            ),
            Case(
                lambda w, name=name: _emu(name, w["ld_nomination"].pk),
                rule("admin"),
                secret=["Đề nghị khen Lâm Đồng"] if name == "nomination_detail" else [],
            ),
        ]
        for name in ("nomination_detail", "nomination_dossier")
    },
    "emulation:nomination_edit": [
        Case(lambda w: _emu("nomination_edit", w["stp_nomination"].pk), rule("admin snv head_stp")),
        Case(lambda w: _emu("nomination_edit", w["ld_nomination"].pk), rule("admin"), post=True),
    ],
    **{
        f"emulation:{name}": [
            Case(lambda w, name=name: _emu(name, w["ld_nomination"].pk), _POST_ONLY, post=True)
        ]
        for name in ("nomination_move", "nomination_evaluate", "nomination_evidence")
    },
    "emulation:evidence_download": [Case(lambda w: _emu("evidence_download", 999_999), rule())],
    "emulation:staff_history": [
        Case(lambda w: _emu("staff_history", w["stp_cc"].pk), rule(_EMU_STP)),
        Case(lambda w: _emu("staff_history", w["ld_cc"].pk), rule("admin")),
    ],
    **{
        f"emulation:{name}": [
            Case(lambda w, name=name: _emu(name, w["ld_cc"].pk), _POST_ONLY, post=True)
        ]
        for name in ("staff_initiative_add", "staff_achievement_add")
    },
    "emulation:unit_history": [
        Case(lambda w: _emu("unit_history", w["stp"].pk), rule(_EMU_STP)),
        Case(lambda w: _emu("unit_history", w["ld_stc"].pk), rule("admin")),
    ],
}
# (end of emulation nominations)


# --- Emulation: movements (issue 13) -------------------------------------------------------------


def _emulation_movements_world(w: World, p) -> None:
    """Objects of the emulation movements pages, in Sở Tư pháp (in the province) and in Lâm Đồng."""
    from django.utils import timezone

    from congvu.emulation import services_movements as movements
    from congvu.emulation.models import Cluster, ClusterYear, Registration, RegistrationList

    def spec(owner, name):
        return movements.MovementSpec(
            name=name,
            launch_document="Kế hoạch 1/KH-UBND",
            launched_on=date(2026, 1, 5),
            start_year=2026,
            end_year=2030,
            owner=owner,
            milestones=(movements.MilestoneSpec("so_ket", 2028),),
        )

    w["kh_movement"] = movements.movement_save(
        actor=p.users["snv"], spec=spec(w["kh"], "Phong trào Khánh Hòa")
    )
    w["ld_movement"] = movements.movement_save(
        actor=SYSTEM, spec=spec(w["ld"], "Phong trào Lâm Đồng")
    )
    w["ld_milestone"] = w["ld_movement"].milestones.get()
    head_stp = p.users["head_stp"]
    w["stp_list"] = movements.registration_list_open(actor=head_stp, unit=w["stp"], year=2026)
    movements.registration_add(
        actor=head_stp, registration_list=w["stp_list"], award="LDTT", staff=w["stp_cc"]
    )
    w["ld_list"] = RegistrationList.objects.create(unit=w["ld_stc"], year=2026)
    w["ld_line"] = Registration.objects.create(
        registration_list=w["ld_list"], staff=w["ld_cc"], award="LDTT"
    )
    cluster = movements.cluster_create(actor=p.users["snv"], name="Cụm Tư pháp", kind="cum")
    w["stp_cluster"] = movements.cluster_year_save(
        actor=p.users["snv"],
        cluster=cluster,
        year=2026,
        members=[w["stp"], w["snv"]],
        leader=w["stp"],
        criteria_text="tc1 | Nhiệm vụ | 100",
    )
    movements.cluster_scoring_open(actor=p.users["snv"], cluster_year=w["stp_cluster"])
    movements.cluster_scoring_close(actor=p.users["snv"], cluster_year=w["stp_cluster"])
    ld_cluster = Cluster.objects.create(name="Cụm Lâm Đồng", kind="cum")
    w["ld_cluster"] = ClusterYear.objects.create(
        cluster=ld_cluster,
        year=2026,
        criteria=[{"code": "tc1", "text": "Nhiệm vụ", "max": "100"}],
        scoring_open=True,
        ranked_at=timezone.now(),
    )
    w["ld_cluster"].members.set([w["ld"], w["ld_stc"]])


def _em(name: str, *args) -> str:
    return reverse(f"emulation:{name}", args=args)


_EMULATION_ANY = "admin snv head_syt head_stp leader council"  # emulation.view somewhere
_EMULATION_STP = "admin snv head_stp leader"  # emulation.view over Sở Tư pháp


def _hide_other_emulation(persona: str) -> list[str]:
    hidden = [] if persona == "admin" else ["Lâm Đồng"]
    if persona not in _EMULATION_STP.split():
        hidden.append("Cụm Tư pháp")
    return hidden


EMULATION_MOVEMENTS: dict[str, list[Case]] = {
    "emulation:movement_list": [
        Case(
            lambda w: _em("movement_list"),
            rule(_EMULATION_ANY),
            hidden=lambda p: [] if p == "admin" else ["Phong trào Lâm Đồng"],
            shown=lambda p: ["Phong trào Khánh Hòa"],
        )
    ],
    "emulation:movement_create": [
        Case(lambda w: _em("movement_create"), rule("admin snv"), post=True)
    ],
    "emulation:movement_detail": [
        Case(
            lambda w: _em("movement_detail", w["kh_movement"].pk),
            rule(_EMULATION_ANY),
            secret=["Phong trào Khánh Hòa"],
        ),
        Case(
            lambda w: _em("movement_detail", w["ld_movement"].pk),
            rule("admin"),
            secret=["Phong trào Lâm Đồng"],
        ),
    ],
    "emulation:movement_edit": [
        Case(
            lambda w: _em("movement_edit", w["kh_movement"].pk),
            rule("admin snv"),
            secret=["Phong trào Khánh Hòa"],
            post=True,
        ),
        Case(
            lambda w: _em("movement_edit", w["ld_movement"].pk),
            rule("admin"),
            secret=["Phong trào Lâm Đồng"],
        ),
    ],
    "emulation:movement_review": [
        Case(
            lambda w: _em("movement_review", w["ld_movement"].pk, w["ld_milestone"].pk),
            _POST_ONLY,
            post=True,
        )
    ],
    "emulation:registration_index": [
        Case(
            lambda w: _em("registration_index"),
            rule(_EMULATION_ANY),
            hidden=lambda p: (
                ([] if p == "admin" else ["Lâm Đồng"])
                + ([] if p in _EMULATION_STP.split() else ["Sở Tư pháp"])
            ),
        ),
        Case(lambda w: _em("registration_index") + "?nam=abc&trang_thai=x", rule(_EMULATION_ANY)),
    ],
    **{
        f"emulation:{name}": [Case(lambda w, name=name: _em(name), _POST_ONLY, post=True)]
        for name in ("registration_open", "registration_export", "cluster_create")
    },
    "emulation:registration_detail": [
        Case(
            lambda w: _em("registration_detail", w["stp_list"].pk),
            rule(_EMULATION_STP),
            secret=["Võ Thị Ánh"],
        ),
        Case(
            lambda w: _em("registration_detail", w["ld_list"].pk),
            rule("admin"),
            secret=["Đoàn Thị Lâm"],
        ),
    ],
    **{
        f"emulation:{name}": [
            Case(lambda w, name=name: _em(name, w["ld_list"].pk), _POST_ONLY, post=True)
        ]
        for name in ("registration_line_add", "registration_submit", "registration_review")
    },
    "emulation:registration_line_remove": [
        Case(lambda w: _em("registration_line_remove", w["ld_line"].pk), _POST_ONLY, post=True)
    ],
    "emulation:cluster_list": [
        Case(lambda w: _em("cluster_list"), rule(_EMULATION_ANY), hidden=_hide_other_emulation)
    ],
    "emulation:cluster_year_create": [
        Case(
            lambda w: _em("cluster_year_create", w["stp_cluster"].cluster_id),
            rule("admin snv"),
            post=True,
        ),
        Case(lambda w: _em("cluster_year_create", w["ld_cluster"].cluster_id), rule("admin")),
    ],
    "emulation:cluster_year_detail": [
        Case(
            lambda w: _em("cluster_year_detail", w["stp_cluster"].pk),
            rule(_EMULATION_STP),
            secret=["Cụm Tư pháp"],
        ),
        Case(
            lambda w: _em("cluster_year_detail", w["ld_cluster"].pk),
            rule("admin"),
            secret=["Cụm Lâm Đồng"],
        ),
    ],
    "emulation:cluster_year_edit": [
        Case(
            lambda w: _em("cluster_year_edit", w["stp_cluster"].pk),
            rule("admin snv"),
            secret=["Cụm Tư pháp"],
        ),
        Case(
            lambda w: _em("cluster_year_edit", w["ld_cluster"].pk),
            rule("admin"),
            secret=["Cụm Lâm Đồng"],
        ),
    ],
    "emulation:cluster_scoring": [
        Case(lambda w: _em("cluster_scoring", w["ld_cluster"].pk), _POST_ONLY, post=True)
    ],
    "emulation:cluster_score": [
        Case(lambda w: _em("cluster_score", w["stp_cluster"].pk), rule("head_stp")),
        Case(lambda w: _em("cluster_score", w["ld_cluster"].pk), rule()),
    ],
    "emulation:cluster_ranking": [
        Case(
            lambda w: _em("cluster_ranking", w["stp_cluster"].pk),
            rule(_EMULATION_STP),
            secret=["Cụm Tư pháp"],
        ),
        Case(
            lambda w: _em("cluster_ranking", w["ld_cluster"].pk),
            rule("admin"),
            secret=["Cụm Lâm Đồng"],
        ),
    ],
}
# (end of emulation movements)


# --- Emulation: council (issue 13) -------------------------------------------------------------


def _emulation_council_world(w: World, p) -> None:
    """Objects of the emulation council pages, in Sở Tư pháp (in the province) and in Lâm Đồng:
    a closed session of each unit's council (the "council" persona sits in Sở Tư pháp's), an
    issued decision of each with one line."""
    from django.utils import timezone

    from congvu.emulation import services_council as council
    from congvu.emulation.models import Achievement, AwardDecision, Nomination

    def world_session(unit, staff, title, member):
        nomination = Nomination.objects.create(
            unit=unit,
            staff=staff,
            award="LDTT",
            year=2025,
            summary="Hoàn thành tốt nhiệm vụ",
            state="checked",
            created_by=w["user:admin"],
        )
        made = council.session_create(
            actor=SYSTEM,
            spec=council.SessionSpec(
                title=title, unit=unit, held_on=date(2026, 11, 20), members=[member]
            ),
        )
        council.session_add(actor=SYSTEM, session=made, nominations=[nomination])
        council.session_open(actor=SYSTEM, session=made)
        council.session_close(actor=SYSTEM, session=made)
        return made

    def world_decision(unit, staff, number):
        decision = AwardDecision.objects.create(
            number=number,
            signed_on=date(2026, 11, 20),
            issuer="Ủy ban nhân dân tỉnh",
            signer_title="Chủ tịch",
            signer_name="Người Ký",
            award="LDTT",
            year=2025,
            unit=unit,
            issued_at=timezone.now(),
            created_by=w["user:admin"],
        )
        line = Achievement.objects.create(
            staff=staff,
            unit_then=unit,
            award="LDTT",
            year=2025,
            decision=decision,
            bonus_amount=702_000,
        )
        return decision, line

    w["stp_council_session"] = world_session(
        w["stp"], w["stp_cc"], "Phiên họp Sở Tư pháp", w["user:council"]
    )
    w["ld_council_session"] = world_session(
        w["ld_stc"], w["ld_cc"], "Phiên họp Lâm Đồng", w["user:ld"]
    )
    w["stp_award_decision"], w["stp_achievement"] = world_decision(
        w["stp"], w["stp_cc"], "STP-5/QĐ-STP"
    )
    w["ld_award_decision"], w["ld_achievement"] = world_decision(
        w["ld_stc"], w["ld_cc"], "LD-7/QĐ-UBND"
    )


def _em(name: str, *args) -> str:
    return reverse(f"emulation:{name}", args=args)


_SESSION_STP = "admin snv council"  # emulation.manage over Sở Tư pháp, or a member
_DECISION_STP = "admin snv head_stp leader"  # emulation.view over Sở Tư pháp
_EMULATION_VIEW = "admin snv head_syt head_stp leader council"


def _hide_ld_session(persona: str) -> list[str]:
    return [] if persona == "admin" else ["Phiên họp Lâm Đồng"]


def _hide_ld_decision(persona: str) -> list[str]:
    return [] if persona == "admin" else ["LD-7/QĐ-UBND"]


EMULATION_COUNCIL: dict[str, list[Case]] = {
    "emulation:council_session_list": [
        Case(lambda w: _em("council_session_list"), rule(_SESSION_STP), hidden=_hide_ld_session)
    ],
    "emulation:council_session_create": [
        Case(lambda w: _em("council_session_create"), rule("admin snv"))
    ],
    "emulation:council_session_detail": [
        Case(
            lambda w: _em("council_session_detail", w["stp_council_session"].pk),
            rule(_SESSION_STP),
            secret=["Phiên họp Sở Tư pháp"],
        ),
        Case(
            lambda w: _em("council_session_detail", w["ld_council_session"].pk),
            rule("admin"),
            secret=["Phiên họp Lâm Đồng"],
        ),
    ],
    **{
        f"emulation:{name}": [
            Case(lambda w, name=name: _em(name, w["ld_council_session"].pk), _POST_ONLY, post=True)
        ]
        for name in ("council_session_add", "council_session_open", "council_session_close")
    },
    "emulation:council_session_remove": [
        Case(
            lambda w: _em("council_session_remove", w["ld_council_session"].pk, 999_999),
            _POST_ONLY,
            post=True,
        )
    ],
    "emulation:council_ballot": [
        # Only a member with the vote: not even Sở Nội vụ or the administrator.
        Case(
            lambda w: _em("council_ballot", w["stp_council_session"].pk),
            rule("council"),
            secret=["Phiên họp Sở Tư pháp"],
        ),
        Case(lambda w: _em("council_ballot", w["ld_council_session"].pk), rule()),
    ],
    "emulation:council_minutes": [
        Case(lambda w: _em("council_minutes", w["stp_council_session"].pk), rule(_SESSION_STP)),
        Case(lambda w: _em("council_minutes", w["ld_council_session"].pk), rule("admin")),
    ],
    "emulation:decision_list": [
        Case(lambda w: _em("decision_list"), rule(_EMULATION_VIEW), hidden=_hide_ld_decision)
    ],
    "emulation:decision_create": [Case(lambda w: _em("decision_create"), rule("admin snv"))],
    "emulation:decision_issue": [
        Case(lambda w: _em("decision_issue", w["ld_award_decision"].pk), _POST_ONLY, post=True)
    ],
    **{
        f"emulation:{name}": [
            Case(
                lambda w, name=name: _em(name, w["stp_award_decision"].pk),
                rule(_DECISION_STP),
                secret=secret,
            ),
            Case(lambda w, name=name: _em(name, w["ld_award_decision"].pk), rule("admin")),
        ]
        for name, secret in (
            ("decision_detail", ["STP-5/QĐ-STP"]),
            ("decision_docx", []),
            ("decision_xlsx", ["Võ Thị Ánh"]),
            ("decision_certificates", ["STP-5/QĐ-STP", "Võ Thị Ánh"]),
        )
    },
    "emulation:achievement_certificate": [
        Case(
            lambda w: _em("achievement_certificate", w["stp_achievement"].pk),
            rule(_DECISION_STP),
            secret=["Võ Thị Ánh"],
        ),
        Case(lambda w: _em("achievement_certificate", w["ld_achievement"].pk), rule("admin")),
    ],
    "emulation:achievement_revoke": [
        Case(
            lambda w: _em("achievement_revoke", w["stp_achievement"].pk),
            rule("admin snv"),
            secret=["Võ Thị Ánh"],
        ),
        Case(lambda w: _em("achievement_revoke", w["ld_achievement"].pk), rule("admin")),
    ],
}
# (end of emulation council)


# --- Emulation: board (issue 13) -------------------------------------------------------------


def _emulation_board_world(w: World, p) -> None:
    """Objects of the emulation board pages, in Sở Tư pháp (in the province) and in Lâm Đồng:
    an achievement from an issued decision and a published good model in each."""
    from congvu.emulation import services_board
    from congvu.emulation.models import Achievement, AwardDecision

    def achievement(staff, unit, number: str, citation: str):
        decision = AwardDecision.objects.create(
            number=number,
            signed_on=date(2026, 2, 27),
            issuer="UBND tỉnh",
            signer_title="Chủ tịch",
            signer_name="Người Ký",
            award="CSTDCS",
            year=2025,
            unit=unit,
            issued_at=datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
            created_by=p.users["admin"],
        )
        return Achievement.objects.create(
            staff=staff,
            unit_then=staff.unit,
            award="CSTDCS",
            year=2025,
            decision=decision,
            citation=citation,
        )

    def good_model(actor, unit, title: str):
        made = services_board.goodmodel_record(
            actor=actor, unit=unit, year=2026, title=title, description="Cách làm hiệu quả"
        )
        return services_board.goodmodel_publish(actor=p.users["admin"], model=made)

    w["stp_achievement"] = achievement(
        w["stp_cc"], w["stp"], "31/QĐ-UBND", "Thành tích ở Sở Tư pháp"
    )
    w["ld_achievement"] = achievement(w["ld_cc"], w["ld"], "32/QĐ-UBND", "Thành tích ở Lâm Đồng")
    w["stp_goodmodel"] = good_model(p.users["head_stp"], w["stp"], "Mô hình Sở Tư pháp")
    w["ld_goodmodel"] = good_model(w["user:ld"], w["ld_stc"], "Mô hình Lâm Đồng")


def _em(name: str, *args) -> str:
    return reverse(f"emulation:{name}", args=args)


_EMULATION_VIEW_STP = "admin snv head_stp leader"  # emulation.view over Sở Tư pháp
_BOARD_HIDDEN = ["Thành tích ở Lâm Đồng", "Đoàn Thị Lâm", "Mô hình Lâm Đồng"]


def _hide_goodmodels(persona: str) -> list[str]:
    hidden = [] if persona == "admin" else ["Mô hình Lâm Đồng"]
    return hidden + (["Mô hình Sở Tư pháp"] if persona in ("head_syt", "council") else [])


EMULATION_BOARD: dict[str, list[Case]] = {
    # The honour board: public by design, the same for everyone, and only the province's.
    "emulation:board": [
        Case(
            lambda w: _em("board"),
            dict.fromkeys(PERSONAS, OK),
            secret=["Thành tích ở Sở Tư pháp", "Võ Thị Ánh", "Mô hình Sở Tư pháp"],
            hidden=lambda persona: _BOARD_HIDDEN,
        ),
        Case(
            lambda w: _em("board") + "?nam=2025&danh_hieu=CSTDCS&trang=2",
            dict.fromkeys(PERSONAS, OK),
            hidden=lambda persona: _BOARD_HIDDEN,
        ),
    ],
    "emulation:board_models": [
        Case(
            lambda w: _em("board_models") + "?nam=2026",
            dict.fromkeys(PERSONAS, OK),
            secret=["Mô hình Sở Tư pháp"],
            hidden=lambda persona: _BOARD_HIDDEN,
        )
    ],
    "emulation:goodmodel_list": [
        Case(
            lambda w: _em("goodmodel_list") + "?nam=2026&trang_thai=published",
            rule("admin snv head_syt head_stp leader council"),
            hidden=_hide_goodmodels,
        )
    ],
    "emulation:goodmodel_create": [
        Case(lambda w: _em("goodmodel_create"), rule("admin snv head_syt head_stp"))
    ],
    "emulation:goodmodel_detail": [
        Case(
            lambda w: _em("goodmodel_detail", w["stp_goodmodel"].pk),
            rule(_EMULATION_VIEW_STP),
            secret=["Mô hình Sở Tư pháp"],
        ),
        Case(
            lambda w: _em("goodmodel_detail", w["ld_goodmodel"].pk),
            rule("admin"),
            secret=["Mô hình Lâm Đồng"],
        ),
    ],
    **{
        f"emulation:{name}": [
            Case(lambda w, name=name: _em(name, w["ld_goodmodel"].pk), _POST_ONLY, post=True)
        ]
        for name in ("goodmodel_publish", "goodmodel_withdraw")
    },
}
# (end of emulation board)


TABLE: dict[str, list[Case]] = {**SITE, **ADMIN_SITE, **STANDARDS, **EVALUATIONS}
TABLE.update(DISCIPLINE)
TABLE.update(DISCIPLINE_CASES)
TABLE.update(REPORTS)
TABLE.update(RATINGS)
TABLE.update(PLANS)
TABLE.update(PLAN_PAGES)
TABLE.update(PERIODIC_PAGES)
TABLE.update(VIOLATION_PAGES)
TABLE.update(INSPECTION_PAGES)
TABLE.update(EMULATION_NOMINATIONS)
TABLE.update(EMULATION_MOVEMENTS)
TABLE.update(EMULATION_COUNCIL)
TABLE.update(EMULATION_BOARD)
for _label, _spec in ADMIN_MODELS.items():
    TABLE.update(_admin_model_cases(_label, _spec))


# --- The resolver ------------------------------------------------------------------


def resolver_keys() -> set[str]:
    """Every URL pattern: its namespaced name, or its route when it has no name."""
    keys = set()

    def walk(resolver: URLResolver, prefix: str, namespaces: tuple[str, ...]) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                walk(pattern, route, ns)
            elif isinstance(pattern, URLPattern):
                keys.add(":".join((*namespaces, pattern.name)) if pattern.name else route)

    walk(get_resolver(), "", ())
    return keys


def test_every_url_has_a_matrix_entry():
    keys = resolver_keys()
    missing = sorted(keys - set(TABLE))
    assert not missing, f"URLs without an access-matrix entry: {missing}"
    stale = sorted(set(TABLE) - keys)
    assert not stale, f"access-matrix entries for URLs that no longer exist: {stale}"
    for key, cases in TABLE.items():
        for case in cases:
            assert set(case.expect) == set(PERSONAS), key


# --- Running the matrix -----------------------------------------------------------

LOGIN_PATHS = ("/tai-khoan/dang-nhap/", "/quan-tri/login/")


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(  # one line per row: "Họ Đệm Tên" read as a full name
            " ".join(str(value) for value in row if value is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    text = content.decode("utf-8", errors="replace")
    if "json" in kind:
        try:
            return text + json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def _classify(response, persona: str) -> str:
    status = response.status_code
    if status == 200:
        return OK
    if status in (401, 403, 404):
        return DENY
    if status == 405:
        return METHOD_NOT_ALLOWED
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        if any(location.startswith(path) for path in LOGIN_PATHS):
            return DENY
        return REDIRECT
    return f"status {status}"


def _check(case: Case, persona: str, url: str, response, method: str, world: World) -> list[str]:
    want = case.expect[persona]
    secret = case.secret(world) if callable(case.secret) else case.secret
    got = _classify(response, persona)
    where = f"{method} {url} as {persona}"
    problems = []
    if response.status_code >= 500:
        return [f"{where}: server error {response.status_code}"]
    # Signed-in users are told "no" (403/404); only the admin site redirects them.
    redirected = response.status_code in (301, 302) and not url.startswith("/quan-tri/")
    if got == DENY and persona != "anon" and redirected:
        problems.append(f"{where}: redirected a signed-in user to the login page")
    if want != SOFT and got != want:
        problems.append(f"{where}: expected {want}, got {got} ({response.status_code})")
    body = _body(response)
    if got != OK:
        problems += [f"{where}: denied page shows {s!r}" for s in secret if s in body]
    elif method == "GET":
        problems += [f"{where}: object text {s!r} missing" for s in secret if s not in body]
        if case.shown:
            problems += [f"{where}: {s!r} missing" for s in case.shown(persona) if s not in body]
    if case.hidden:
        problems += [
            f"{where}: shows out-of-scope {s!r}" for s in case.hidden(persona) if s in body
        ]
    return problems


def _client(world: World, persona: str, api: bool) -> Client:
    if persona == "anon":
        return Client()
    if api:
        return Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[persona]}")
    client = Client()
    client.force_login(world[f"user:{persona}"])
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(world, persona):
    site, api = _client(world, persona, api=False), _client(world, persona, api=True)
    problems: list[str] = []
    for _key, cases in sorted(TABLE.items()):
        for case in cases:
            client = api if case.api else site
            url = case.url(world)
            problems += _check(case, persona, url, client.get(url), "GET", world)
            if case.post:
                response = client.post(url, {})
                expect_post = Case(case.url, {p: SOFT for p in PERSONAS}, secret=case.secret)
                if case.expect[persona] == DENY:
                    expect_post.expect[persona] = DENY
                problems += _check(expect_post, persona, url, response, "POST", world)
    assert not problems, "\n".join(problems)


def _workbook_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " ".join(str(v) for v in row if v is not None)
        for row in book.active.iter_rows(values_only=True)
    )


_EXPORTERS = "admin snv head_syt head_stp leader"  # staff.export somewhere


@pytest.mark.parametrize("persona", PERSONAS)
def test_export_jobs_hold_only_the_creators_scope(world, persona):
    """The export pages start a job and redirect to it; the job's file, computed with the
    creator's scope when it runs, holds what the list shows the persona and nothing more."""
    client = _client(world, persona, api=False)
    response, content = export_via_job(client, _org("staff_export"))
    if persona not in _EXPORTERS.split():
        assert _classify(response, persona) == DENY and content is None, persona
    else:
        body = _workbook_text(content)
        assert all(name in body for name in shown_staff(persona)), persona
        assert not [name for name in hidden_staff(persona) if name in body], persona
    response, content = export_via_job(client, _org("staff_export"), {"don_vi": "KHA-STP"})
    if persona in ("admin", "snv", "head_stp", "leader"):
        body = _workbook_text(content)
        assert "Võ Thị Ánh" in body and "Nguyễn Văn An" not in body and "Đoàn Thị Lâm" not in body
    else:
        assert _classify(response, persona) == DENY and content is None, persona
    if persona != "admin":
        response, content = export_via_job(client, _org("staff_export"), {"don_vi": "LDG-STC"})
        assert _classify(response, persona) == DENY and content is None, persona
    response, content = export_via_job(client, _dis("record_export"))
    if persona in _DIS_VIEW.split():
        body = _workbook_text(content)
        assert not [s for s in _dis_hidden(persona) if s in body], persona
        assert ("5/QĐ-STP" in body) == (persona in _DIS_STP.split()), persona
    else:
        assert _classify(response, persona) == DENY and content is None, persona
    response, content = export_via_job(client, _rep("handling_export"))
    if persona in _HANDLE_ALL.split():
        body = _workbook_text(content)
        assert not [s for s in _reports_hidden(persona) if s in body], persona
        assert ("Chuyện ở Sở Tư pháp" in body) == (persona in ("admin", "snv", "head_stp"))
        assert ("Chuyện ở Lâm Đồng" in body) == (persona == "admin"), persona
    else:
        assert _classify(response, persona) == DENY and content is None, persona
    ld_unit = {"don_vi": str(world["ld_stc"].pk)}  # the unit filter: only a unit of the scope
    response, content = export_via_job(client, _rep("handling_export"), ld_unit)
    if persona == "admin":
        body = _workbook_text(content)
        assert "Chuyện ở Lâm Đồng" in body and "Chuyện ở Sở Tư pháp" not in body
    else:
        assert _classify(response, persona) == DENY and content is None, persona


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_but_the_designated_reader_learns_who_reported(world, persona):
    """Asking for the reporter of Sở Tư pháp's report: every persona, the system administrator
    and Sở Nội vụ included, is refused; the reader the administrator designates is not."""
    url = _rep("handling_detail", world["stp_report"].pk)
    ask = {"hanh_dong": "nguoi_phan_anh"}
    response = _client(world, persona, api=False).post(url, ask)
    assert _classify(response, persona) == DENY, persona
    assert "Người Báo Tin Bí Mật" not in _body(response)
    reader = make_user(f"doc_danh_tinh_{persona}", make_staff(world["snv"], "Mai", "Thị", "Lan"))
    role_assign(
        actor=world["user:admin"],
        user=reader,
        role="reporter_reader",
        unit=world["kh"],
        include_subtree=True,
        valid_from=date(2026, 1, 1),
    )
    client = Client()
    client.force_login(reader)
    shown = client.post(url, ask)
    assert shown.status_code == 200 and "Người Báo Tin Bí Mật" in _body(shown)
    assert client.post(_rep("handling_detail", world["ld_report"].pk), ask).status_code == 404


def test_an_api_token_of_another_province_sees_nothing_of_this_one(world):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world['ld_token']}")
    body = _body(client.get(reverse("api:staff")))
    assert "Đoàn Thị Lâm" in body
    assert not [name for key, name in STAFF_NAMES.items() if key != "ld_cc" and name in body]
    assert client.get(reverse("api:staff") + "?unit=KHA-STP").status_code == 404


def test_objects_unknown_to_everyone_are_404_not_500(world):
    client = Client()
    client.force_login(world["user:admin"])
    for url in (
        _org("unit_detail", 999999),
        _org("staff_detail", 999999),
        _org("unit_change", 999999),
        _admin("organisations_unit_change", 999999),
        _admin("organisations_unit_history", 999999),
        _admin("core_auditlog_history", 999999),
    ):
        assert client.get(url).status_code == 404, url


def test_matrix_covers_every_model_registered_in_admin():
    from django.contrib import admin

    registered = {f"{m._meta.app_label}_{m._meta.model_name}" for m in admin.site._registry}
    assert registered == set(ADMIN_MODELS)
    with_history = {
        f"{m._meta.app_label}_{m._meta.model_name}"
        for m in admin.site._registry
        if hasattr(m._meta, "simple_history_manager_attribute")
    }
    assert with_history == {label for label, spec in ADMIN_MODELS.items() if spec.history}
    assert {Unit, UnitVersion, LineageEvent, Membership, RoleAssignment} <= set(
        admin.site._registry
    )
