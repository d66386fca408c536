"""The plans of seeds 000, 003 and 004 as data files (``plans/seeds/*.yaml``), loaded through
the services; and the demo: seed 000's plan assigned to Khánh Hòa's departments, districts and
communes of 2019, with progress that shows every status.

Progress is dated in the past, so the demo is the same whenever it is loaded. Viewed today,
its matrix shows done, done late, late, waiting and ongoing; on 30/06/2020 (``SHOWCASE_DAY``)
also in progress and not started (every deadline of seed 000 has passed since).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.db import transaction

from congvu.organisations.models import Unit, UnitType
from congvu.plans import services
from congvu.plans.models import LegalDocument, Plan, ProgressEntry, Task
from congvu.plans.services import TaskSpec

if TYPE_CHECKING:
    from congvu.accounts.models import User
    from congvu.core.actors import SystemActor

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"
SHOWCASE_DAY = date(2020, 6, 30)
KHANH_HOA_PLAN = ("6861/KH-UBND", date(2019, 7, 12))
TOP_KEYS = {"owner", "document", "links", "plan", "defaults", "tasks"}
TASK_KEYS = {
    "number",
    "content",
    "timing",
    "timing_text",
    "lead_text",
    "coordinating_text",
    "expected_output",
    "event",
}


class _StrictLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice (PyYAML would keep the last one silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"khóa «{key}» xuất hiện hai lần", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@dataclass(frozen=True)
class SeedPlan:
    """One plan file: its issuer unit's code, its document, the documents it implements or
    cites, the plan's texts and its tasks."""

    owner: str
    document: dict[str, Any]
    links: list[dict[str, Any]]
    plan: dict[str, Any]
    tasks: list[TaskSpec]


def seed_paths() -> list[Path]:
    return sorted(SEEDS_DIR.glob("*.yaml"))


def seed_read(path: Path) -> SeedPlan:
    """The plan in ``path``; ValueError naming the file for a malformed one (the timings are
    checked by ``plans.services`` as the ``congvu task-status`` command checks them)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506 (a SafeLoader)
    if not isinstance(data, dict) or set(data) - TOP_KEYS:
        raise ValueError(f"{path.name}: khóa không có trong lược đồ: {set(data) - TOP_KEYS}")
    defaults = data.get("defaults") or {}
    tasks = []
    for raw in data["tasks"]:
        unknown = set(raw) - TASK_KEYS
        if unknown:
            raise ValueError(f"{path.name}: nhiệm vụ {raw.get('number')}: khóa lạ {unknown}")
        tasks.append(TaskSpec(**{**defaults, **raw}))
    return SeedPlan(
        owner=data["owner"],
        document=data["document"],
        links=data.get("links") or [],
        plan=data["plan"],
        tasks=tasks,
    )


def _document(actor: User | SystemActor, spec: dict[str, Any]) -> LegalDocument:
    found = LegalDocument.objects.filter(code=spec["code"], issued_on=spec["issued_on"]).first()
    if found is not None:
        return found
    fields = {k: v for k, v in spec.items() if k != "kind"}
    return services.document_create(actor=actor, **fields)


def seed_load(*, actor: User | SystemActor, seed: SeedPlan, owner: Unit) -> Plan:
    """Load one plan file, whole or not at all; a plan whose document is already loaded is left
    as it is."""
    with transaction.atomic():
        return _seed_load(actor, seed, owner)


def _seed_load(actor: User | SystemActor, seed: SeedPlan, owner: Unit) -> Plan:
    document = _document(actor, seed.document)
    existing = Plan.objects.filter(document=document).first()
    if existing is not None:
        return existing
    for link in seed.links:
        target = _document(actor, link)
        services.document_link(actor=actor, source=document, target=target, kind=link["kind"])
    return services.plan_create(
        actor=actor,
        document=document,
        owner=owner,
        title=seed.plan["title"],
        purposes=seed.plan.get("purposes", ""),
        requirements=seed.plan.get("requirements", ""),
        tasks=seed.tasks,
    )


def seeds_load(*, actor: User | SystemActor, units: dict[str, Unit] | None = None) -> list[Plan]:
    """Every shipped plan file, idempotently. ``units``: the owners by code (else the current
    unit with the file's ``owner`` code)."""
    plans = []
    for path in seed_paths():
        seed = seed_read(path)
        owner = (units or {}).get(seed.owner) or Unit.objects.get(
            code=seed.owner, valid_to__isnull=True
        )
        plans.append(seed_load(actor=actor, seed=seed, owner=owner))
    return plans


# --- The demo ----------------------------------------------------------------------------------

ASSIGNED_TYPES = (UnitType.SO_BAN_NGANH, UnitType.UBND_HUYEN, UnitType.UBND_XA)
YEARS = range(2019, 2027)
# (unit key, task number, day, state, period, what was done, quantities)
Progress = tuple[str, str, date, str, int | None, str, dict[str, int]]


def _every_year(unit: str, task: str, month_day: tuple[int, int], text: str, what: str) -> list:
    month, day = month_day
    return [
        (
            unit,
            task,
            date(year, month, day),
            "done",
            year,
            f"{text} năm {year}.",
            {what: 20 + year % 7 * 5},
        )
        for year in YEARS
    ]


def _progress() -> list[Progress]:
    syt, stp, loctho, nhatrang = "KHA-SYT", "KHA-STP", "KHA-H-NT-LOCTHO", "KHA-P-NHATRANG"
    rows: list[Progress] = [
        (
            syt,
            "III.1.a",
            date(2019, 7, 25),
            "done",
            None,
            "Ban hành Kế hoạch triển khai Đề án văn hóa công vụ của Sở Y tế.",
            {},
        ),
        (
            syt,
            "II.2",
            date(2020, 3, 1),
            "in_progress",
            None,
            "Đang rà soát nội quy, quy chế làm việc của Sở và các đơn vị trực thuộc.",
            {"văn bản đã rà soát": 6},
        ),
        (
            syt,
            "II.2",
            date(2020, 10, 15),
            "done",
            None,
            "Ban hành Nội quy cơ quan và Quy tắc ứng xử sửa đổi.",
            {"văn bản đã sửa đổi": 4},
        ),
        (
            stp,
            "III.1.a",
            date(2019, 8, 20),
            "done",
            None,
            "Ban hành Kế hoạch triển khai của Sở Tư pháp (chậm so với yêu cầu trong tháng 7/2019).",
            {},
        ),
        (
            stp,
            "II.2",
            date(2020, 5, 4),
            "in_progress",
            None,
            "Đang lấy ý kiến dự thảo Quy chế văn hóa công sở của Sở.",
            {},
        ),
        (
            stp,
            "III.1.b",
            date(2019, 11, 12),
            "done",
            2019,
            "Gửi báo cáo kết quả thực hiện năm 2019.",
            {},
        ),
        (
            stp,
            "III.1.b",
            date(2020, 11, 2),
            "in_progress",
            2020,
            "Đang tổng hợp số liệu báo cáo năm 2020.",
            {},
        ),
        (
            loctho,
            "III.1.a",
            date(2019, 7, 30),
            "done",
            None,
            "UBND phường Lộc Thọ ban hành kế hoạch thực hiện.",
            {},
        ),
        (
            loctho,
            "II.2",
            date(2020, 12, 20),
            "done",
            None,
            "Sửa đổi nội quy bộ phận một cửa (sau hạn năm 2020).",
            {},
        ),
    ]
    rows += _every_year(
        syt, "II.1", (11, 1), "Phổ biến Đề án văn hóa công vụ", "lượt cán bộ được phổ biến"
    )
    rows += _every_year(syt, "II.4", (11, 5), "Bồi dưỡng văn hóa công vụ", "cán bộ được bồi dưỡng")
    rows += [
        (
            syt,
            "III.1.b",
            date(year, 11, 10 if year < 2026 else 20),
            "done",
            year,
            f"Gửi báo cáo kết quả thực hiện năm {year}.",
            {},
        )
        for year in YEARS
    ]
    for year in YEARS:  # Lộc Thọ until the merger, then phường Nha Trang that carries it on
        unit = loctho if year < 2025 else nhatrang
        rows.append(
            (
                unit,
                "III.1.b",
                date(year, 11, 10),
                "done",
                year,
                f"Gửi báo cáo kết quả thực hiện năm {year}.",
                {},
            )
        )
        rows.append(
            (
                unit,
                "II.12",
                date(year, 10, 30),
                "done",
                year,
                f"Kiểm tra việc tiếp dân, không phát hiện nhũng nhiễu năm {year}.",
                {"cuộc kiểm tra": 2 + year % 3},
            )
        )
    return rows


def demo_plans(*, actor: User, units: dict[str, Unit]) -> None:
    """Load the seed plans, assign seed 000's to Khánh Hòa's units of 12/07/2019 and record
    the demo's progress through the services."""
    plans = seeds_load(actor=actor, units=units)
    code, issued_on = KHANH_HOA_PLAN
    plan = next(p for p in plans if (p.document.code, p.document.issued_on) == (code, issued_on))
    assigned = [
        unit
        for key, unit in units.items()
        if key.startswith("KHA-")
        and unit.unit_type in ASSIGNED_TYPES
        and unit.valid_from <= issued_on
        and (unit.valid_to is None or unit.valid_to > issued_on)
    ]
    services.plan_assign(actor=actor, plan=plan, units=assigned, day=issued_on)
    if ProgressEntry.objects.filter(task__plan=plan).exists():
        return  # loaded before: entries are never edited, so they are not written twice
    tasks = {task.number: task for task in Task.objects.filter(plan=plan)}
    for key, number, on, state, period, text, quantities in _progress():
        services.progress_record(
            actor=actor,
            task=tasks[number],
            unit=units[key],
            on=on,
            state=state,
            period=period,
            text=text,
            quantities=quantities,
        )
