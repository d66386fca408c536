"""Load the demo province: units through the services, staff in bulk, one login per role.

Units go through ``services`` so that versions, lineage events and audit records are
exactly what a real user would produce. Staff are many (up to 50,000), so they are
built with ``services.staff_build`` (NFC, sort key, search text) and bulk-inserted
with their memberships and history rows in the same transaction, under one audit
record.
"""

import os
import time
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.db import connection, transaction
from django.utils.module_loading import import_string

from congvu.accounts.models import Role, User
from congvu.accounts.services import role_assign, user_create
from congvu.core.actors import DEMO
from congvu.core.audit import audit_record
from congvu.organisations import services
from congvu.organisations.demo_data import MERGER, Catalogue, DemoUnit, Op, catalogue
from congvu.organisations.demo_people import Person, people
from congvu.organisations.models import Membership, Staff, Unit
from congvu.organisations.services import UnitSpec

DEFAULT_PASSWORD = "KhanhHoa-demo-2025"  # noqa: S105 (documented demo password)
PASSWORD_ENV = "CONGVU_DEMO_PASSWORD"  # noqa: S105 (a variable name)
BATCH = 2000


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    staff_tag: str  # "" for a system account
    scopes: tuple[str, ...]  # unit codes; "" means the person's own unit
    subtree: bool
    note: str


LOGINS = (
    DemoLogin("quantri", Role.ADMIN, "", (), False, "tài khoản hệ thống"),
    DemoLogin("sonoivu", Role.SO_NOI_VU, "sonoivu", ("KHA",), True, "toàn tỉnh"),
    DemoLogin(
        "gd_soyte", Role.UNIT_HEAD, "gd_syt", ("KHA-SYT",), True, "Sở Y tế và đơn vị trực thuộc"
    ),
    DemoLogin("canbo", Role.STAFF, "canbo", ("",), False, "đơn vị của mình"),
    DemoLogin("hoidong", Role.COUNCIL, "hoidong", ("KHA",), True, "Hội đồng TĐKT tỉnh"),
    DemoLogin("kiemtra", Role.INSPECTOR, "kiemtra", ("KHA",), True, "đoàn kiểm tra công vụ"),
    DemoLogin("mttq", Role.MTTQ, "", ("KHA", "KHA-MTTQ"), True, "tài khoản hệ thống"),
    DemoLogin("lanhdao", Role.LEADER, "lanhdao", ("KHA",), True, "toàn tỉnh"),
    DemoLogin("xuly", Role.HANDLER, "xuly", ("",), False, "phản ánh về đơn vị của mình"),
)
DESIGNATED = (
    # (login, role, unit code, with subtree, what the demo table adds to the login's role)
    ("sonoivu", Role.REPORTER_READER, "KHA", True, "được chỉ định xem danh tính người phản ánh"),
)
"""Roles that reach citizens' personal data are never implied: granted explicitly by the
administrator (audited as a sensitive grant) to a demo login that already has one."""
APP_DEMOS = (
    "congvu.feedback.demo.demo_reports",
    "congvu.evaluations.demo.demo_evaluations",
    "congvu.ratings.demo.demo_ratings",
    "congvu.plans.demo.demo_plans",
    "congvu.standards.demo.demo_unit_rules",
    "congvu.emulation.services_movements.demo_movements",
    "congvu.emulation.demo.demo_emulation",
)
"""Demo data of other apps, loaded through their services after the logins exist."""


@dataclass(frozen=True)
class LoadResult:
    units: int
    staff: int
    memberships: int
    seconds: float


def demo_password() -> str:
    """The demo password: $CONGVU_DEMO_PASSWORD, else the documented default."""
    return os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


def check_password(password: str) -> None:
    """Raise ValidationError when the password fails the site's validators."""
    validate_password(password, User(username="sonoivu", first_name="Demo"))


def is_empty() -> bool:
    return not Unit.objects.exists()


def demo_load(
    *, staff: int = 3000, seed: int = 1, password: str | None = None, apps=APP_DEMOS
) -> LoadResult:
    """Load the province with ``staff`` people; the same seed gives the same data.

    ``apps``: the other apps' demo loaders to run (a benchmark that builds its own 2026
    evaluation cycle over the province passes none: one form per official and period)."""
    started = time.perf_counter()
    password = password or demo_password()
    cat = catalogue()
    persons, tags = people(cat, staff, seed)
    with transaction.atomic():
        admin = user_create(actor=DEMO, username="quantri", password=password)
        role_assign(actor=DEMO, user=admin, role=Role.ADMIN, unit=None, valid_from=MERGER)
        units = _build_units(cat, admin)
        rows, memberships = _insert_staff(persons, units, admin, seed)
        _create_logins(admin, tags, units, password)
        for loader in apps:
            import_string(loader)(actor=admin, units=units)
    _refresh_statistics()
    return LoadResult(len(units), rows, memberships, time.perf_counter() - started)


def _refresh_statistics() -> None:
    """Planner statistics after a bulk load. Without them SQLite sorted all 50,000 staff
    for each list page (35 ms, now 0.3 ms) and PostgreSQL, until autovacuum runs,
    misplanned the name search (80–500 ms, now 2 ms)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # VACUUM also fills the visibility map: counts become index-only (10 → 4 ms).
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


# --- Units ---------------------------------------------------------------------


def _spec(unit: DemoUnit, units: dict[str, Unit]) -> UnitSpec:
    parent = units[unit.parent] if unit.parent else None
    return UnitSpec(code=unit.key, name=unit.name, unit_type=unit.unit_type, parent=parent)


def _build_units(cat: Catalogue, actor: User) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for unit in cat.units:
        units[unit.key] = services.unit_create(
            actor=actor, spec=_spec(unit, units), valid_from=unit.founded
        )
    for op in cat.ops:
        _apply(op, units, actor)
        for key in (*op.preds, op.target, *op.successors):
            if key:
                units[key].refresh_from_db()
    return units


def _apply(op: Op, units: dict[str, Unit], actor: User) -> None:
    common = {"actor": actor, "day": op.day, "basis": op.basis}
    if op.kind == "create":
        units[op.new.key] = services.unit_create(
            actor=actor, spec=_spec(op.new, units), valid_from=op.day, basis=op.basis
        )
    elif op.kind == "merge_into":
        services.units_merge(
            predecessors=[units[k] for k in op.preds],
            into=units[op.target],
            decided_on=op.decided_on,
            **common,
        )
    elif op.kind == "merge_new":
        event = services.units_merge(
            predecessors=[units[k] for k in op.preds],
            new=_spec(op.new, units),
            decided_on=op.decided_on,
            **common,
        )
        units[op.new.key] = event.successors.get()
    elif op.kind == "move":
        services.unit_change(unit=units[op.preds[0]], parent=units[op.target], **common)
    elif op.kind == "rename":
        services.unit_change(unit=units[op.preds[0]], name=op.name, code=op.code, **common)
    elif op.kind == "dissolve":
        services.unit_dissolve(
            unit=units[op.preds[0]],
            successors=[units[k] for k in op.successors],
            decided_on=op.decided_on,
            **common,
        )
    else:
        raise ValueError(f"unknown demo operation {op.kind}")


# --- Staff ---------------------------------------------------------------------


def _insert_staff(
    persons: list[Person], units: dict[str, Unit], actor: User, seed: int
) -> tuple[int, int]:
    rows = []
    for person in persons:
        row = services.staff_build(person, units[person.unit])  # a Person is a StaffSpec
        row.is_active = person.is_active
        rows.append(row)
    Staff.objects.bulk_create(rows, batch_size=BATCH)
    Staff.history.bulk_history_create(
        rows, batch_size=BATCH, default_user=actor, default_change_reason="Dữ liệu mẫu"
    )
    memberships = [
        Membership(
            staff_id=row.pk,
            unit_id=units[seg.unit].pk,
            position=seg.position,
            valid_from=seg.valid_from,
            valid_to=seg.valid_to,
            note=seg.note,
        )
        for row, person in zip(rows, persons, strict=True)
        for seg in person.segments
    ]
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    audit_record(
        actor=actor,
        action="staff.demo_load",
        staff=len(rows),
        memberships=len(memberships),
        seed=seed,
    )
    return len(rows), len(memberships)


def _create_logins(admin: User, tags: dict[str, str], units: dict[str, Unit], password: str):
    by_code = {s.code: s for s in Staff.objects.filter(code__in=tags.values())}
    for login in LOGINS:
        if login.role == Role.ADMIN:
            continue
        person = by_code[tags[login.staff_tag]] if login.staff_tag else None
        user = user_create(actor=admin, username=login.username, password=password, staff=person)
        for scope in login.scopes:
            role_assign(
                actor=admin,
                user=user,
                role=login.role,
                unit=units[scope] if scope else person.unit,
                include_subtree=login.subtree,
                valid_from=MERGER,
            )
    for username, role, code, subtree, _note in DESIGNATED:
        role_assign(
            actor=admin,
            user=User.objects.get(username=username),
            role=role,
            unit=units[code],
            include_subtree=subtree,
            valid_from=MERGER,
        )


def login_rows() -> list[tuple[str, str, str]]:
    """(username, role, who) for the demo logins that exist, in role order."""
    labels = dict(Role.choices)
    extra = {username: note for username, _, _, _, note in DESIGNATED}
    users = {u.username: u for u in User.objects.select_related("staff__unit")}
    rows = []
    for login in LOGINS:
        user = users.get(login.username)
        if user is None:
            continue
        if user.staff_id:
            staff = user.staff
            who = f"{staff.full_name} — {staff.position}, {staff.unit.name}"
        else:
            who = login.note
        label = labels[login.role]
        if login.username in extra:
            label = f"{label}, {extra[login.username]}"
        rows.append((login.username, label, who))
    return rows


def snapshot() -> list[tuple]:
    """A seed-independent-of-ids picture of the loaded data (for determinism checks)."""
    staff = list(
        Staff.objects.order_by("code").values_list(
            "code",
            "ho",
            "dem",
            "ten",
            "gender",
            "birth_year",
            "category",
            "position",
            "is_leader",
            "is_active",
            "unit__code",
            "sort_key",
            "search_text",
        )
    )
    members = list(
        Membership.objects.order_by("staff__code", "valid_from").values_list(
            "staff__code", "unit__code", "position", "valid_from", "valid_to", "note"
        )
    )
    units = list(
        Unit.objects.order_by("code", "valid_from").values_list(
            "code", "name", "unit_type", "parent__code", "valid_from", "valid_to"
        )
    )
    return [tuple(staff), tuple(members), tuple(units)]
