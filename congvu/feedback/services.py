"""Writers of reports: one transaction, an audit record, notifications after commit (the
Front's findings: ``supervision``). The reporter's identity never goes into an audit record, a
notification, a search column or a log line; its one reader is ``reporter_contact_reveal``
(audited, the designated reader only: ``permissions.RESTRICTED_ACTIONS``)."""

import hashlib
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.accounts.models import User
from congvu.core.actors import SYSTEM
from congvu.core.audit import audit_record
from congvu.core.dated_store import setting_overrides
from congvu.core.logging import log_event
from congvu.core.notifications import notifications_write
from congvu.core.permissions import Action
from congvu.core.text import clean_text, fold, nfc
from congvu.core.transitions import Step, transition_apply
from congvu.discipline.models import DisciplineRecord
from congvu.feedback import categories, rules, selectors, uploads
from congvu.feedback.access import REPORT
from congvu.feedback.models import (
    Report,
    ReportAttachment,
    ReporterContact,
    ReportEvent,
    ReportNote,
)
from congvu.feedback.rules import Move, Status
from congvu.organisations.models import Staff, Unit
from congvu.ratings.models import ServicePoint

DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 4000
TEXT_MAX = 4000
OLDEST_YEARS = 5  # an event older than this is refused as a typo or beyond verification
_FORM_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_PHONE = re.compile(r"^(?:\+84|84|0)(\d{9,10})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_line(value: str | None) -> str:
    """One line of text: NFC, control characters dropped, runs of spaces collapsed."""
    return nfc(_CONTROL.sub("", value or ""))


def parse_day(value: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


# --- Submitting a report (public, no login) -----------------------------------------------


@dataclass
class ReportInput:
    """The public form as typed. Every field is text; the service decides what is valid."""

    form_key: str
    unit_code: str
    category: str
    happened_on: str
    description: str
    place: str = ""
    official_name: str = ""
    official_id: str = ""
    desk_token: str = ""  # the QR token of the desk the citizen came from, if any
    anonymous: bool = True
    name: str = ""
    phone: str = ""
    email: str = ""
    uploads: list = field(default_factory=list)


@dataclass(frozen=True)
class Submitted:
    report: Report
    created: bool  # False: the same form was sent again; this is the report it made


class DuplicateSubmission(Exception):
    """The form key was used before for a different report (QUALITY.md R1: refuse, 409)."""

    def __init__(self, report: Report) -> None:
        super().__init__("form key reused")
        self.report = report


@dataclass
class _Valid:
    unit: Unit
    category: str
    version: str
    happened_on: date
    description: str
    place: str
    official_name: str
    official: Staff | None
    anonymous: bool
    name: str
    phone: str
    email: str
    desk: ServicePoint | None = None


def _check_length(errors: dict, key: str, value: str, limit: int, label: str) -> None:
    if len(value) > limit:
        errors[key] = _("%(label)s tối đa %(limit)s ký tự (đang có %(length)s).") % {
            "label": label,
            "limit": f"{limit:,}".replace(",", "."),
            "length": f"{len(value):,}".replace(",", "."),
        }


def _validate(data: ReportInput, today: date) -> _Valid:
    errors: dict[str, str] = {}
    unit = selectors.public_unit_by_code(data.unit_code.strip()[:32], day=today)
    if unit is None:
        errors["don_vi"] = _("Hãy chọn đơn vị bị phản ánh.")
    found = categories.in_force(today)
    if found.get(data.category.strip()) is None:
        errors["nhom"] = _("Hãy chọn nhóm hành vi bị phản ánh.")
    happened = parse_day(data.happened_on[:20])
    if not data.happened_on.strip():
        errors["ngay"] = _("Hãy nhập ngày xảy ra sự việc (dd/mm/yyyy).")
    elif happened is None:
        errors["ngay"] = _("Ngày xảy ra không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")
    elif happened > today:
        errors["ngay"] = _("Ngày xảy ra không được sau hôm nay.")
    elif happened < today.replace(year=today.year - OLDEST_YEARS, day=min(today.day, 28)):
        errors["ngay"] = _("Chỉ tiếp nhận sự việc xảy ra trong %(years)s năm gần đây.") % {
            "years": OLDEST_YEARS
        }
    description = clean_text(data.description)
    if len(description) < DESCRIPTION_MIN:
        errors["noi_dung"] = _(
            "Hãy mô tả sự việc (ít nhất %(count)s ký tự): việc gì, ở đâu, ai liên quan."
        ) % {"count": DESCRIPTION_MIN}
    _check_length(errors, "noi_dung", description, DESCRIPTION_MAX, _("Nội dung"))
    place = clean_line(data.place)
    _check_length(errors, "noi_xay_ra", place, 200, _("Nơi xảy ra"))
    official_name = clean_line(data.official_name)
    _check_length(errors, "nguoi_bi_phan_anh", official_name, 100, _("Tên người bị phản ánh"))
    official = None
    if data.official_id.strip() and unit is not None:
        official = selectors.public_staff_of(unit).filter(pk=form_id(data.official_id)).first()
        if official is None:
            errors["can_bo"] = _("Cán bộ đã chọn không thuộc đơn vị này.")
    desk = desk_of(data.desk_token, unit)
    name, phone, email = clean_line(data.name), clean_line(data.phone), clean_line(data.email)
    if not data.anonymous:
        _validate_contact(errors, name, phone, email)
    if errors:
        raise ValidationError(errors)
    assert unit is not None and happened is not None
    if data.anonymous:
        name = phone = email = ""
    return _Valid(
        unit=unit,
        category=data.category.strip(),
        version=found.version,
        happened_on=happened,
        description=description,
        place=place,
        official_name=official_name,
        official=official,
        anonymous=data.anonymous,
        name=name,
        phone=_phone(phone),
        email=email.lower(),
        desk=desk,
    )


def desk_of(token: str, unit: Unit | None) -> ServicePoint | None:
    """The desk whose QR page the citizen came from, when its token still takes ratings and
    the desk belongs to the unit reported on; else None: the report is kept without the
    link (a stale poster is not the citizen's mistake)."""
    from congvu.ratings.services import DeskUnavailable, desk_for_token

    if not token or unit is None:
        return None
    try:
        desk = desk_for_token(token.strip()[:32]).desk
    except DeskUnavailable:
        return None
    return desk if desk.unit_id == unit.pk else None


def form_id(value: str) -> int:
    """A row id typed in a form; 0 (no row) when it is not one (or too large for the database)."""
    try:
        number = int(value.strip()[:20])
    except ValueError:
        return 0
    return number if 0 < number < 2**63 else 0


def _phone(value: str) -> str:
    digits = re.sub(r"[\s.()-]", "", value)
    match = _PHONE.match(digits)
    return "0" + match.group(1) if match else ""


def _validate_contact(errors: dict, name: str, phone: str, email: str) -> None:
    if len(name) < 2:
        errors["ho_ten"] = _("Hãy nhập họ và tên, hoặc chọn gửi ẩn danh.")
    _check_length(errors, "ho_ten", name, 100, _("Họ và tên"))
    if not phone and not email:
        errors["dien_thoai"] = _("Hãy để lại số điện thoại hoặc thư điện tử để được liên hệ.")
    if phone and not _phone(phone):
        errors["dien_thoai"] = _("Số điện thoại không hợp lệ (ví dụ 0912 345 678).")
    if email:
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            errors["email"] = _("Địa chỉ thư điện tử không hợp lệ.")


def _digest(valid: _Valid, raw_files: list[bytes]) -> str:
    body = [
        valid.unit.pk,
        valid.category,
        valid.happened_on.isoformat(),
        valid.description,
        valid.place,
        valid.official_name,
        valid.official.pk if valid.official else None,
        valid.desk.pk if valid.desk else None,
        valid.anonymous,
        valid.name,
        valid.phone,
        valid.email,
        [hashlib.sha256(data).hexdigest() for data in raw_files],
    ]
    return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode()).hexdigest()


def _same_or_conflict(form_key: str, digest: str) -> Report | None:
    existing = Report.objects.filter(form_key=form_key).first()
    if existing is None:
        return None
    if existing.form_digest != digest:
        raise DuplicateSubmission(existing)
    return existing


def _files(data: ReportInput) -> list:
    # The ignore: in a condition mypy takes getattr's overload for a bool default.
    files = [f for f in data.uploads if f is not None and getattr(f, "name", "")]  # type: ignore[arg-type]
    if len(files) > uploads.max_files():
        raise ValidationError(
            {"tep": _("Chỉ gửi kèm tối đa %(count)s tệp.") % {"count": uploads.max_files()}}
        )
    return files


def _moment(at: datetime | None) -> tuple[datetime, date]:
    """Now, or an earlier moment for what was received or done on paper (never the future)."""
    now = timezone.now()
    if at is not None:
        if at > now:
            raise ValidationError(_("Thời điểm ghi nhận không được sau hiện tại."))
        now = at
    return now, timezone.localdate(now)


def report_submit(*, data: ReportInput, at: datetime | None = None) -> Submitted:
    """File a report from the public form. Idempotent by ``data.form_key``.

    Bad input raises ValidationError with a message per field and stores nothing (no row, no
    file). The same key with the same content returns the first report; with other content it
    raises DuplicateSubmission. ``at``: when a report received earlier (on paper) is entered.
    """
    if not _FORM_KEY.match(data.form_key or ""):
        raise ValidationError(
            {"__all__": _("Phiên gửi không hợp lệ: hãy tải lại trang rồi gửi lại.")}
        )
    now, today = _moment(at)
    valid = _validate(data, today)
    files = _files(data)
    raw: list[bytes] = []
    for position, upload in enumerate(files, start=1):
        try:
            raw.append(uploads.read_limited(upload))
        except ValidationError as error:
            raise ValidationError(
                {
                    "tep": _("Tệp %(position)s (%(name)s): %(error)s.")
                    % {
                        "position": position,
                        "name": uploads.clean_name(upload.name),
                        "error": error.messages[0],
                    }
                }
            ) from None
    digest = _digest(valid, raw)
    existing = _same_or_conflict(data.form_key, digest)
    if existing is not None:
        return Submitted(existing, created=False)
    cleaned = []
    for position, (upload, content) in enumerate(zip(files, raw, strict=True), start=1):
        try:
            cleaned.append(uploads.clean(_Bytes(upload.name, content)))
        except ValidationError as error:
            raise ValidationError(
                {
                    "tep": _("Tệp %(position)s (%(name)s): %(error)s.")
                    % {
                        "position": position,
                        "name": uploads.clean_name(upload.name),
                        "error": error.messages[0],
                    }
                }
            ) from None
    written: list = []
    try:
        with transaction.atomic():
            report = _create(valid, data.form_key, digest, today, now)
            for position, item in enumerate(cleaned, start=1):
                path = uploads.directory() / secrets.token_hex(16)
                path.write_bytes(item.data)
                written.append(path)
                ReportAttachment.objects.create(
                    report=report,
                    position=position,
                    stored_name=path.name,
                    original_name=item.original_name,
                    content_type=item.content_type,
                    size=len(item.data),
                    sha256=item.sha256,
                )
            audit_record(
                actor=SYSTEM,
                action="report.receive",
                obj=report,
                unit=valid.unit.code,
                category=valid.category,
                attachments=len(cleaned),
                anonymous=valid.anonymous,
                due_on=report.due_on.isoformat(),
            )
            _notify_handlers(report, "report", _new_message(report))
    except IntegrityError:  # the same key committed by a concurrent request
        for path in written:
            path.unlink(missing_ok=True)
        existing = _same_or_conflict(data.form_key, digest)
        if existing is None:
            raise
        return Submitted(existing, created=False)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return Submitted(report, created=True)


@dataclass
class _Bytes:
    """Bytes already read, in the shape ``uploads.clean`` reads."""

    name: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    def chunks(self) -> Iterator[bytes]:
        yield self.data


def _create(valid: _Valid, form_key: str, digest: str, today: date, now: datetime) -> Report:
    code = rules.tracking_code_new()
    while Report.objects.filter(code=code).exists():  # 75 random bits: practically never
        code = rules.tracking_code_new()
    overrides = setting_overrides(today)  # the province's own deadlines, if it set any
    setting = rules.sla_setting(valid.category, today, overrides=overrides)
    official = valid.official
    search = " ".join(
        [
            code,
            valid.official_name,
            official.full_name if official else "",
            valid.place,
            valid.description,
        ]
    )
    report = Report.objects.create(
        code=code,
        form_key=form_key,
        form_digest=digest,
        unit=valid.unit,
        place=valid.place,
        official_name=valid.official_name,
        official=official,
        desk=valid.desk,
        category=valid.category,
        categories_version=valid.version,
        happened_on=valid.happened_on,
        description=valid.description,
        anonymous=valid.anonymous,
        status=Status.RECEIVED,
        received_at=now,
        received_on=today,
        sla_days=setting.days,
        due_on=today + timedelta(days=setting.days),
        updated_at=now,
        search_text=fold(search),
    )
    if not valid.anonymous:
        ReporterContact.objects.create(
            report=report, name=valid.name, phone=valid.phone, email=valid.email
        )
    ReportEvent.objects.create(
        report=report, move="receive", from_status="", to_status=Status.RECEIVED, at=now
    )
    return report


# --- Notifications (inbox rows, after commit; never the reporter) -----------------------


def _new_message(report: Report) -> str:
    label = categories.label_of(report.category, report.categories_version)
    return (
        f"Phản ánh mới {rules.tracking_code_display(report.code)} về {report.unit.name}: "
        f"{label}. Hạn trả lời {report.due_on:%d/%m/%Y}."
    )


def _notify_handlers(report: Report, kind: str, message: str, key: str | None = None) -> None:
    unit_id, official_id = report.unit_id, report.official_id

    def send() -> None:
        recipients = selectors.report_handler_ids(unit_id=unit_id, official_id=official_id)
        notifications_write(recipient_ids=recipients, kind=kind, message=message, key=key)

    transaction.on_commit(send)


# --- Handling -------------------------------------------------------------------------------


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.pk)


def _require(actor: User, report: Report, action: Action = Action.REPORT_HANDLE) -> None:
    REPORT.require(actor, action, report)


@dataclass(frozen=True)
class Conclusion:
    """What the verification found: who (a staff member, or the unit when None), the standard
    broken (a criterion's stable id, optional), the finding, and a discipline decision if one
    was already taken for it."""

    finding: str
    substantiated: bool = True
    staff: Staff | None = None
    criterion: str = ""
    discipline_record: DisciplineRecord | None = None


def _check_conclusion(actor: User, report: Report, conclusion: Conclusion) -> None:
    if conclusion.staff is not None and conclusion.staff.unit_id is not None:
        lineage = selectors.unit_family_ids(report.unit_id)
        if conclusion.staff.unit_id not in lineage:
            raise ValidationError(_("Cán bộ vi phạm phải thuộc đơn vị bị phản ánh."))
    if conclusion.criterion:
        allowed = selectors.criteria_choices(report)
        if conclusion.criterion not in {stable_id for stable_id, _ in allowed}:
            raise ValidationError(_("Chuẩn mực bị vi phạm không thuộc nhóm hành vi của phản ánh."))
    record = conclusion.discipline_record
    if record is not None:
        if conclusion.staff is None or record.staff_id != conclusion.staff.pk:
            raise ValidationError(_("Quyết định kỷ luật phải là của cán bộ vi phạm đã chọn."))
        if not selectors.discipline_choices(actor, conclusion.staff).filter(pk=record.pk).exists():
            raise ValidationError(_("Bạn không xem được quyết định kỷ luật này."))


def report_move(
    *,
    actor: User,
    report: Report,
    move: str,
    comment: str = "",
    answer: str = "",
    conclusion: Conclusion | None = None,
    at: datetime | None = None,
) -> Report:
    """One step of the workflow (rules.RULES), with the texts the step needs (``at``: a step
    taken earlier on paper)."""
    comment, answer = clean_text(comment, TEXT_MAX), clean_text(answer, TEXT_MAX)
    finding = clean_text(conclusion.finding, TEXT_MAX) if conclusion else ""
    with transaction.atomic():
        report = _lock(report)
        _require(actor, report)
        source, now = report.status, timezone.now()

        def step() -> Step:  # once the move is allowed: its moment, conclusion and answer
            nonlocal now, conclusion
            now, today = _moment(at)
            if now < report.updated_at:
                raise ValidationError(_("Thời điểm của bước này không được trước bước trước."))
            changes = Step(fields={"updated_at": now})
            if conclusion is not None and move in (Move.CONCLUDE, Move.REJECT):
                if move == Move.REJECT:
                    conclusion = Conclusion(finding=finding, substantiated=False)
                _check_conclusion(actor, report, conclusion)
                record = conclusion.discipline_record
                changes.fields.update(
                    substantiated=conclusion.substantiated,
                    finding=finding,
                    finding_criterion=conclusion.criterion,
                    finding_staff=conclusion.staff,
                    discipline_record=record,
                    concluded_by=actor,
                    concluded_at=now,
                )
                changes.data.update(
                    substantiated=conclusion.substantiated,
                    criterion=conclusion.criterion,
                    staff=conclusion.staff.code if conclusion.staff else "",
                    discipline=record.pk if record else None,
                )
            if answer:
                changes.fields.update(public_answer=answer, answered_on=today)
            return changes

        decision = transition_apply(
            actor=actor,
            obj=report,
            machine=rules.MACHINE,
            move=move,
            action=f"report.{move}",
            texts={"comment": comment, "answer": answer, "finding": finding},
            step=step,
        )
        # The ignore: an applied move has its target.
        ReportEvent.objects.create(
            report=report,
            move=move,
            from_status=source,  # type: ignore[misc]
            to_status=decision.target,
            actor=actor,
            at=now,
            comment=comment,
        )
    return report


def report_note_add(*, actor: User, report: Report, text: str) -> ReportNote:
    text = clean_text(text)
    if not text:
        raise ValidationError(_("Ghi chú trống."))
    if len(text) > TEXT_MAX:
        raise ValidationError(
            _("Ghi chú tối đa %(count)s ký tự.") % {"count": f"{TEXT_MAX:,}".replace(",", ".")}
        )
    with transaction.atomic():
        report = _lock(report)
        _require(actor, report)
        note = ReportNote.objects.create(
            report=report, author=actor, text=text, created_at=timezone.now()
        )
        audit_record(actor=actor, action="report.note", obj=report, note=note.pk)
    return note


def report_link_discipline(*, actor: User, report: Report, record: DisciplineRecord) -> Report:
    """Link a substantiated report to the discipline decision later taken on the official."""
    with transaction.atomic():
        report = _lock(report)
        _require(actor, report)
        if not report.substantiated or report.finding_staff_id is None:
            raise ValidationError(
                _(
                    "Chỉ gắn quyết định kỷ luật cho phản ánh đã kết luận có cơ sở, có cán bộ vi phạm."
                )
            )
        staff = Staff.objects.get(pk=report.finding_staff_id)
        _check_conclusion(actor, report, Conclusion("x", staff=staff, discipline_record=record))
        report.discipline_record, report.updated_at = record, timezone.now()
        report.save(update_fields=["discipline_record", "updated_at"])
        audit_record(actor=actor, action="report.link_discipline", obj=report, discipline=record.pk)
    return report


def reporter_contact_reveal(*, actor: User, report: Report) -> ReporterContact | None:
    """The reporter's contact for a holder of ``report.identity``; the look is audited."""
    _require(actor, report, Action.REPORTER_IDENTITY)
    contact = ReporterContact.objects.filter(report=report).first()
    audit_record(actor=actor, action="report.identity_view", obj=report)
    log_event("report.identity_view", user=actor.pk, report=report.pk)
    return contact


# --- Reminders (Huey, every morning) -----------------------------------------------------------

REMIND_DAYS_BEFORE = 2


def report_reminders_send(*, today: date) -> int:
    """Inbox reminders for reports due within two days or late, once a day each."""
    horizon = today + timedelta(days=REMIND_DAYS_BEFORE)
    count = 0
    due = Report.objects.filter(status__in=sorted(rules.OPEN_STATUSES), due_on__lte=horizon)
    for report in due.select_related("unit").iterator():
        late = rules.days_late(report.status, report.due_on, today)
        text = (
            f"Nhắc việc: phản ánh {rules.tracking_code_display(report.code)} ({report.unit.name}) "
            f"hạn trả lời {report.due_on:%d/%m/%Y}"
        )
        text += f", đã quá hạn {late} ngày." if late else "."
        recipients = selectors.report_handler_ids(
            unit_id=report.unit_id, official_id=report.official_id
        )
        notifications_write(
            recipient_ids=recipients,
            kind="reminder",
            message=text,
            key=f"report-remind:{report.pk}:{today.isoformat()}",
        )
        count += 1
    return count
