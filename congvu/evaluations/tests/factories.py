"""Small catalogues and cycles over the test province, and the steps of a normal evaluation."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from congvu.core.actors import SYSTEM
from congvu.evaluations import services
from congvu.evaluations.models import Evaluation, EvaluationCycle
from congvu.evaluations.services import CycleSpec, SelfScore
from congvu.standards.models import CatalogueVersion
from congvu.standards.services import catalogues_load

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def individual_doc(version: str = "1", **changes) -> dict:
    """Group A for everyone (4 + 6 points, the second needs evidence); group B for leaders."""
    data = {
        "code": "thu",
        "title": "Tiêu chí thử",
        "kind": "individual",
        "version": version,
        "effective_from": "2026-01-01",
        "source": {"document": "Văn bản thử"},
        "items": [
            {
                "id": "thu.a",
                "text": "Kỷ cương",
                "source": "A",
                "points": 10,
                "items": [
                    {
                        "id": "thu.a.1",
                        "text": "Đeo thẻ khi làm nhiệm vụ",
                        "source": "A.1",
                        "points": 4,
                    },
                    {
                        "id": "thu.a.2",
                        "text": "Học tập nâng cao trình độ",
                        "source": "A.2",
                        "points": 6,
                        "evidence_required": True,
                    },
                ],
            },
            {
                "id": "thu.b",
                "text": "Lãnh đạo",
                "source": "B",
                "points": 10,
                "subjects": ["leader"],
                "items": [
                    {
                        "id": "thu.b.1",
                        "text": "Công tâm trong đánh giá cán bộ",
                        "source": "B.1",
                        "points": 10,
                    },
                ],
            },
        ],
    }
    data.update(changes)
    return data


def collective_doc() -> dict:
    return {
        "code": "thu-tap-the",
        "title": "Tiêu chí tập thể thử",
        "kind": "collective",
        "version": "1",
        "effective_from": "2026-01-01",
        "source": {"document": "Văn bản thử"},
        "items": [
            {
                "id": "thu-tap-the.a",
                "text": "Văn minh",
                "source": "A",
                "items": [
                    {"id": "thu-tap-the.a.1", "text": "Niêm yết thủ tục", "source": "A.1"},
                    {"id": "thu-tap-the.a.2", "text": "Trụ sở xanh, sạch", "source": "A.2"},
                ],
            },
        ],
    }


def load(tmp_path: Path, data: dict) -> CatalogueVersion:
    path = tmp_path / f"{data['code']}-{data['version']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    [result] = catalogues_load(actor=SYSTEM, paths=[path])
    return CatalogueVersion.objects.get(pk=result.version_id)


def cycle(
    actor,
    version: CatalogueVersion,
    root,
    *,
    subject: str = "individual",
    kind: str = "year",
    year: int = 2026,
    number: int | None = None,
    culture_points: Decimal = Decimal(30),
    deadlines: tuple[date, date, date] = (
        date(2026, 11, 25),
        date(2026, 11, 28),
        date(2026, 12, 5),
    ),
    open_it: bool = True,
) -> EvaluationCycle:
    spec = CycleSpec(
        title=f"Đánh giá thử {year}",
        subject=subject,
        period_kind=kind,
        year=year,
        period_number=number,
        catalogue_version=version,
        root_unit=root,
        self_deadline=deadlines[0],
        manager_deadline=deadlines[1],
        council_deadline=deadlines[2],
        culture_points=culture_points,
    )
    created = services.cycle_create(actor=actor, spec=spec)
    if open_it:
        created = services.cycle_open(actor=actor, cycle=created)
    return created


def evaluation_of(cycle: EvaluationCycle, staff) -> Evaluation:
    return Evaluation.objects.get(cycle=cycle, staff=staff)


def pdf(name: str = "chung-chi.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def self_assess_all(
    actor, evaluation: Evaluation, *, a1=4, a2=6, b1=10, task=65, evidence=True
) -> Evaluation:
    """Score every criterion that applies (full marks by default: 30 + 65 = 95 points)."""
    scores = {"thu.a.1": SelfScore(a1, "Luôn đeo thẻ"), "thu.a.2": SelfScore(a2, "Có chứng chỉ")}
    if evaluation.is_leader:
        scores["thu.b.1"] = SelfScore(b1)
    evaluation = services.self_assess(
        actor=actor, evaluation=evaluation, scores=scores, task_points=task
    )
    if evidence:
        services.evidence_attach(
            actor=actor, evaluation=evaluation, criterion="thu.a.2", upload=pdf()
        )
    return evaluation


def to_reviewed(staff_user, manager_user, evaluation: Evaluation, **scores) -> Evaluation:
    self_assess_all(staff_user, evaluation, **scores)
    services.submit(actor=staff_user, evaluation=evaluation)
    return services.manager_review(actor=manager_user, evaluation=evaluation, comment="Đồng ý")
