"""Self-assessment, evidence, submission, the manager's review and returns."""

import hashlib
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from congvu.core.models import AuditLog, Notification
from congvu.core.uploads import DOCX, PNG, XLSX
from congvu.evaluations import services
from congvu.evaluations.models import (
    CriterionScore,
    Evidence,
    ScoreChange,
    Transition,
)
from congvu.evaluations.services import ManagerScore, SelfScore
from congvu.evaluations.tests import factories as f
from congvu.testing import make_staff, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(province, tmp_path):
    version = f.load(tmp_path, f.individual_doc())
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    return province, cycle, f.evaluation_of(cycle, province.staff["syt_cc"])


def scores(evaluation):
    return {
        r.criterion.stable_id: (r.self_score, r.manager_score)
        for r in CriterionScore.objects.filter(evaluation=evaluation).select_related("criterion")
    }


def test_self_scores_are_checked_against_each_criterions_points(world):
    province, _, an = world
    staff = province["staff"]
    for bad, message in [
        ({"thu.a.1": SelfScore(5)}, "từ 0 đến 4"),
        ({"thu.a.1": SelfScore(-1)}, "từ 0 đến 4"),
        ({"thu.a.1": SelfScore("3.125")}, "hai chữ số thập phân"),
        ({"thu.a.1": SelfScore("ba")}, "phải là một số"),
        ({"thu.a": SelfScore(5)}, "tiêu chí con"),  # a group is scored through its items
        ({"thu.b.1": SelfScore(5)}, "không thuộc"),  # a leaders' criterion, An is not one
        ({"khac.1": SelfScore(1)}, "không thuộc"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.self_assess(actor=staff, evaluation=an, scores=bad)
    with pytest.raises(ValidationError, match="từ 0 đến 70"):
        services.self_assess(actor=staff, evaluation=an, task_points=71)
    assert not CriterionScore.objects.exists() and not ScoreChange.objects.exists()


def test_every_change_of_a_self_score_is_kept_with_before_and_after(world):
    province, _, an = world
    staff = province["staff"]
    services.self_assess(actor=staff, evaluation=an, scores={"thu.a.1": SelfScore(3)})
    services.self_assess(actor=staff, evaluation=an, scores={"thu.a.1": SelfScore("3.5")})
    services.self_assess(actor=staff, evaluation=an, scores={"thu.a.1": SelfScore("3.5")})
    services.self_assess(actor=staff, evaluation=an, task_points=60)
    changes = list(
        ScoreChange.objects.order_by("pk").values_list(
            "criterion__stable_id", "before", "after", "step"
        )
    )
    assert changes == [
        ("thu.a.1", None, Decimal(3), "self"),
        ("thu.a.1", Decimal(3), Decimal("3.5"), "self"),
        (None, None, Decimal(60), "self"),  # the task-result points
    ]
    assert ScoreChange.objects.filter(actor=staff).count() == 3


def test_only_the_official_self_assesses_and_only_in_draft(world):
    province, _, an = world
    for persona in ("head_stp", "outsider", "leader"):
        with pytest.raises(PermissionDenied):
            services.self_assess(
                actor=province[persona], evaluation=an, scores={"thu.a.1": SelfScore(1)}
            )
    with pytest.raises(ValidationError, match="người được đánh giá"):
        services.self_assess(
            actor=province["head_syt"], evaluation=an, scores={"thu.a.1": SelfScore(1)}
        )
    assert not CriterionScore.objects.exists()


def test_submission_needs_every_score_the_required_evidence_and_the_task_points(world):
    province, _, an = world
    staff = province["staff"]
    services.self_assess(actor=staff, evaluation=an, scores={"thu.a.1": SelfScore(4)})
    with pytest.raises(ValidationError) as refused:
        services.submit(actor=staff, evaluation=an)
    text = " ".join(refused.value.messages)
    assert "1 tiêu chí chưa tự chấm: thu.a.2" in text
    assert "minh chứng chưa có tệp: thu.a.2" in text
    assert "kết quả thực hiện nhiệm vụ" in text
    f.self_assess_all(staff, an)
    services.submit(actor=staff, evaluation=an, comment="Tôi đã hoàn thành")
    an.refresh_from_db()
    assert (an.state, an.self_comment) == ("submitted", "Tôi đã hoàn thành")
    move = Transition.objects.get(evaluation=an)
    assert (move.move, move.from_state, move.to_state, move.actor) == (
        "submit",
        "draft",
        "submitted",
        staff,
    )
    assert AuditLog.objects.filter(action="evaluation.submit", object_id=str(an.pk)).count() == 1
    with pytest.raises(ValidationError, match="Không sửa được"):
        services.self_assess(actor=staff, evaluation=an, scores={"thu.a.1": SelfScore(1)})


def test_the_manager_is_notified_after_commit(world, django_capture_on_commit_callbacks):
    province, _, an = world
    f.self_assess_all(province["staff"], an)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(actor=province["staff"], evaluation=an)
    note = Notification.objects.get(kind="submitted")
    assert note.recipient == province["head_syt"] and "Nguyễn Văn An" in note.message


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def test_evidence_type_comes_from_the_bytes_and_the_file_gets_a_random_name(world, settings):
    province, _, an = world
    staff = province["staff"]
    cases = [("anh.pdf", _png(), PNG), ("bao-cao.docx", _docx(), DOCX), ("so.xlsx", _xlsx(), XLSX)]
    for name, content, kind in cases:
        evidence = services.evidence_attach(
            actor=staff,
            evaluation=an,
            criterion="thu.a.2",
            upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
        )
        assert evidence.content_type == kind and evidence.original_name == name
        stored = (Path(settings.MEDIA_ROOT) / "evidence" / evidence.stored_name).read_bytes()
        assert stored == content or kind == PNG  # a photo is kept cleaned (test_evidence_uploads)
        assert evidence.sha256 == hashlib.sha256(stored).hexdigest()
        assert name not in evidence.stored_name and len(evidence.stored_name) == 32
    assert AuditLog.objects.filter(action="evaluation.evidence_attach").count() == 3


@pytest.mark.parametrize(
    "name, content",
    [
        ("ghi-chu.pdf", b"Day la van ban thuong, khong phai PDF"),
        ("virus.docx", b"MZ\x90\x00" + b"\x00" * 60),
        ("nen.docx", b"PK\x03\x04 not really a zip"),
        ("khac.xlsx", zipfile.ZipFile.__name__.encode()),
        ("rong.pdf", b""),
    ],
)
def test_files_that_are_not_pdf_images_word_or_excel_are_refused(world, settings, name, content):
    province, _, an = world
    with pytest.raises(ValidationError):
        services.evidence_attach(
            actor=province["staff"],
            evaluation=an,
            criterion="thu.a.2",
            upload=SimpleUploadedFile(name, content),
        )
    assert not Evidence.objects.exists()
    folder = Path(settings.MEDIA_ROOT) / "evidence"
    assert not folder.exists() or not any(folder.iterdir())  # nothing left on disk


def test_a_zip_that_is_neither_word_nor_excel_is_refused(world):
    province, _, an = world
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("payload.exe", "MZ")
    with pytest.raises(ValidationError, match="Chỉ nhận"):
        services.evidence_attach(
            actor=province["staff"],
            evaluation=an,
            criterion="thu.a.2",
            upload=SimpleUploadedFile("a.docx", buffer.getvalue()),
        )


def test_evidence_over_the_size_limit_is_refused(world, settings):
    province, _, an = world
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="quá lớn"):
        services.evidence_attach(
            actor=province["staff"],
            evaluation=an,
            criterion="thu.a.2",
            upload=f.pdf(content=f.PDF + b"x" * 200),
        )
    assert not Evidence.objects.exists()


def test_only_the_official_attaches_evidence(world):
    province, _, an = world
    with pytest.raises(PermissionDenied):
        services.evidence_attach(
            actor=province["outsider"], evaluation=an, criterion="thu.a.2", upload=f.pdf()
        )


def test_a_manager_cannot_review_someone_outside_the_team(world):
    province, cycle, an = world
    f.self_assess_all(province["staff"], an)
    services.submit(actor=province["staff"], evaluation=an)
    # The head of justice manages her own team, not An (Sở Y tế).
    for persona in ("head_stp", "outsider", "leader", "inspector"):
        with pytest.raises(PermissionDenied):
            services.manager_review(actor=province[persona], evaluation=an)
    # The council and Sở Nội vụ have a part in An's evaluation, but not this one.
    for persona in ("council", "snv"):
        with pytest.raises(ValidationError, match="Chỉ người quản lý trực tiếp"):
            services.manager_review(actor=province[persona], evaluation=an)
    # Nobody reviews their own evaluation.
    with pytest.raises(ValidationError, match="Chỉ người quản lý trực tiếp"):
        services.manager_review(actor=province["staff"], evaluation=an)
    an.refresh_from_db()
    assert an.state == "submitted" and not Transition.objects.filter(move="review").exists()


def test_a_leader_of_the_unit_manages_when_the_unit_has_no_head(province, tmp_path):
    from congvu.organisations.models import Unit, UnitType
    from congvu.testing import make_unit

    version = f.load(tmp_path, f.individual_doc())
    phong = make_unit("KHA-SYT-VP", "Văn phòng Sở", UnitType.PHONG_BAN, province.units["syt"])
    chief = make_staff(phong, "Đỗ", "Văn", "Chánh", position="Chánh Văn phòng", is_leader=True)
    clerk = make_staff(phong, "Lý", "Thị", "Thư")
    chief_user, clerk_user = make_user("chanhvp", chief), make_user("vanthu", clerk)
    cycle = f.cycle(province["head_syt"], version, Unit.objects.get(pk=province.units["syt"].pk))
    assert f.evaluation_of(cycle, clerk).manager == chief_user
    assert f.evaluation_of(cycle, chief).manager == province["head_syt"]
    evaluation = f.evaluation_of(cycle, clerk)
    f.to_reviewed(clerk_user, chief_user, evaluation)
    with pytest.raises(PermissionDenied):  # not his team any more than anyone else's
        services.manager_review(
            actor=chief_user, evaluation=f.evaluation_of(cycle, province.staff["syt_cc"])
        )


def test_the_manager_changes_a_score_only_with_a_reason_and_it_is_logged(world):
    province, _, an = world
    head = province["head_syt"]
    f.self_assess_all(province["staff"], an)
    services.submit(actor=province["staff"], evaluation=an)
    with pytest.raises(ValidationError, match="cần ghi lý do"):
        services.manager_review(
            actor=head, evaluation=an, changes={"thu.a.1": ManagerScore(2, "  ")}
        )
    with pytest.raises(ValidationError, match="lý do"):
        services.manager_review(actor=head, evaluation=an, task_points=ManagerScore(50, ""))
    services.manager_review(
        actor=head,
        evaluation=an,
        comment="Cần đeo thẻ thường xuyên hơn",
        changes={
            "thu.a.1": ManagerScore(2, "Hai lần không đeo thẻ"),
            "thu.a.2": ManagerScore(6, ""),
        },  # unchanged: no reason needed, no log
        task_points=ManagerScore(55, "Chậm tiến độ một nhiệm vụ"),
    )
    an.refresh_from_db()
    assert scores(an) == {"thu.a.1": (4, 2), "thu.a.2": (6, None)}  # the self score stays
    manager_changes = list(
        ScoreChange.objects.filter(step="manager")
        .order_by("pk")
        .values_list("criterion__stable_id", "before", "after", "reason", "actor")
    )
    assert manager_changes == [
        ("thu.a.1", Decimal(4), Decimal(2), "Hai lần không đeo thẻ", head.pk),
        (None, Decimal(65), Decimal(55), "Chậm tiến độ một nhiệm vụ", head.pk),
    ]
    # 2 + 6 of 10 → 80% of 30 = 24; + 55 = 79: proposed "hoàn thành tốt".
    assert (an.culture_score, an.period_score, an.proposed_level) == (
        Decimal("80.00"),
        Decimal("79.00"),
        "HTT",
    )
    assert (an.state, an.manager_comment) == ("reviewed", "Cần đeo thẻ thường xuyên hơn")


def test_returns_need_a_comment_and_go_back_one_step(world):
    province, _, an = world
    staff, head, council = province["staff"], province["head_syt"], province["council"]
    f.self_assess_all(staff, an)
    services.submit(actor=staff, evaluation=an)
    with pytest.raises(ValidationError, match="ý kiến khi trả lại"):
        services.return_to(actor=head, evaluation=an, comment=" ")
    services.return_to(actor=head, evaluation=an, comment="Bổ sung minh chứng tiêu chí 2")
    an.refresh_from_db()
    assert an.state == "draft"
    services.self_assess(actor=staff, evaluation=an, scores={"thu.a.1": SelfScore(3)})
    services.submit(actor=staff, evaluation=an)
    services.manager_review(actor=head, evaluation=an)
    with pytest.raises(ValidationError, match="Chỉ hội đồng"):  # not the official
        services.return_to(actor=staff, evaluation=an, comment="Xem lại")
    services.return_to(actor=council, evaluation=an, comment="Người quản lý xem lại tiêu chí 1")
    an.refresh_from_db()
    assert an.state == "submitted"
    trail = list(
        Transition.objects.filter(evaluation=an)
        .order_by("pk")
        .values_list("move", "from_state", "to_state", "comment")
    )
    assert trail == [
        ("submit", "draft", "submitted", ""),
        ("return", "submitted", "draft", "Bổ sung minh chứng tiêu chí 2"),
        ("submit", "draft", "submitted", ""),
        ("review", "submitted", "reviewed", ""),
        ("return", "reviewed", "submitted", "Người quản lý xem lại tiêu chí 1"),
    ]
    assert (
        AuditLog.objects.filter(
            object_id=str(an.pk),
            action__in=["evaluation.submit", "evaluation.review", "evaluation.return"],
        ).count()
        == 5
    )


def test_evidence_can_be_removed_while_in_draft(world, settings):
    province, _, an = world
    evidence = services.evidence_attach(
        actor=province["staff"], evaluation=an, criterion="thu.a.2", upload=f.pdf()
    )
    path = services.evidence_path(evidence)
    with pytest.raises(PermissionDenied):
        services.evidence_remove(actor=province["outsider"], evidence=evidence)
    services.evidence_remove(actor=province["staff"], evidence=evidence)
    assert not Evidence.objects.exists()
    assert AuditLog.objects.filter(action="evaluation.evidence_remove").exists()
    assert path.exists()  # removed from disk after commit only (the test never commits)
