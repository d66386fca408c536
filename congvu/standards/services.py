"""The only writers of catalogues: load versions from files, add a unit's own rules.

Loading is idempotent by (catalogue code, version, checksum of the content): the same
content again changes nothing; other content under a version string already loaded is
refused; a new version adds rows and never touches the criteria of older versions.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docx
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from congvu.core import permissions, uploads
from congvu.core.actors import SystemActor, login_of
from congvu.core.audit import audit_record
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.core.text import clean_text, nfc
from congvu.organisations.models import Unit
from congvu.standards import access, rules, unit_rules
from congvu.standards.models import (
    Catalogue,
    CatalogueKind,
    CatalogueVersion,
    Criterion,
    RulesItem,
    RulesMapping,
    UnitRules,
)
from congvu.standards.rules import CatalogueError

if TYPE_CHECKING:
    from congvu.accounts.models import User

SHIPPED_DIR = Path(__file__).resolve().parent / "catalogues"
_PROJECT_DIR = SHIPPED_DIR.parents[2]

SUPPLEMENT_ACTION = Action.CATALOGUE_SUPPLEMENT
"""Who may issue a unit's own rules. To become Action.CATALOGUE_SUPPLEMENT (see report)."""


def shipped_paths() -> list[Path]:
    """Every catalogue file shipped with the application: catalogues/<code>/<version>.yaml."""
    return sorted(SHIPPED_DIR.glob("*/*.yaml"))


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


def read_document(path: Path) -> rules.CatalogueDoc:
    """The validated document in a YAML file; CatalogueError names the file in each problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError([f"{path}: không đọc được tệp ({exc})"]) from exc
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise CatalogueError([f"{path}: YAML không hợp lệ: {exc}"]) from exc
    try:
        return rules.parse_catalogue(data)
    except CatalogueError as exc:
        raise CatalogueError([f"{path}: {problem}" for problem in exc.problems]) from exc


def _display_path(path: Path) -> str:
    resolved = path.resolve()
    return str(
        resolved.relative_to(_PROJECT_DIR) if resolved.is_relative_to(_PROJECT_DIR) else resolved
    )[:255]


@dataclass(frozen=True)
class LoadResult:
    code: str
    version: str
    created: bool
    items: int
    version_id: int


def _catalogue_for(doc: rules.CatalogueDoc, owner_unit: Unit | None) -> Catalogue:
    catalogue = Catalogue.objects.select_for_update().filter(code=doc.code).first()
    if catalogue is None:
        return Catalogue.objects.create(
            code=doc.code, title=doc.title, kind=doc.kind, owner_unit=owner_unit
        )
    if catalogue.kind != doc.kind:
        raise ValidationError(
            _("Danh mục %(code)s là loại «%(kind)s», không nạp được phiên bản loại «%(new_kind)s».")
            % {"code": doc.code, "kind": catalogue.get_kind_display(), "new_kind": doc.kind}
        )
    if catalogue.owner_unit_id != (owner_unit.pk if owner_unit else None):
        raise ValidationError(_("Danh mục %(code)s thuộc về đơn vị khác.") % {"code": doc.code})
    return catalogue


def _refusal(doc: rules.CatalogueDoc, loaded: CatalogueVersion, digest: str) -> ValidationError:
    return ValidationError(
        _(
            "Danh mục %(code)s phiên bản %(version)s đã được nạp ngày %(day)s với nội dung khác (mã kiểm tra %(checksum)s…, nội dung mới %(digest)s…). Một phiên bản đã nạp không bao giờ bị sửa, vì kết quả đánh giá đã ghi theo nó: hãy đặt chuỗi phiên bản mới (version) cho nội dung đã thay đổi rồi nạp lại."
        )
        % {
            "code": doc.code,
            "version": doc.version,
            "day": f"{timezone.localtime(loaded.loaded_at):%d/%m/%Y}",
            "checksum": loaded.checksum[:12],
            "digest": digest[:12],
        }
    )


def _load(
    doc: rules.CatalogueDoc,
    *,
    actor: User | SystemActor,
    source_path: str,
    owner_unit: Unit | None,
    action: str,
) -> LoadResult:
    """Inside a transaction: create the version and its criteria, or recognise it as loaded."""
    digest = rules.checksum(doc)
    catalogue = _catalogue_for(doc, owner_unit)
    loaded = catalogue.versions.filter(version=doc.version).first()
    if loaded is not None:
        if loaded.checksum != digest:
            raise _refusal(doc, loaded, digest)
        return LoadResult(doc.code, doc.version, False, loaded.item_count, loaded.pk)
    rows = rules.flatten(doc)
    version = CatalogueVersion.objects.create(
        catalogue=catalogue,
        version=doc.version,
        title=doc.title,
        source_document=doc.source_document,
        effective_from=doc.effective_from,
        checksum=digest,
        source_path=source_path,
        loaded_at=timezone.now(),
        loaded_by=login_of(actor),
        item_count=len(rows),
    )
    created: dict[str, Criterion] = {}
    for depth in range(rules.MAX_DEPTH):  # parents first: children need their ids
        level = [
            Criterion(
                version=version,
                stable_id=row.stable_id,
                parent=created.get(row.parent_id or ""),
                order=row.order,
                depth=row.depth,
                text=row.text,
                source=row.source,
                points=row.points,
                weight=row.weight,
                evidence_required=row.evidence_required,
                subjects=list(row.subjects),
                wording=row.wording,
                confidence=row.confidence,
                note=row.note,
            )
            for row in rows
            if row.depth == depth
        ]
        created.update((c.stable_id, c) for c in Criterion.objects.bulk_create(level))
    latest = catalogue.versions.order_by("-effective_from", "-loaded_at", "-pk").first()
    if latest is not None and latest.title != catalogue.title:
        catalogue.title = latest.title
        catalogue.save(update_fields=["title"])
    audit_record(
        actor=actor,
        action=action,
        obj=version,
        code=doc.code,
        version=doc.version,
        checksum=digest,
        source=source_path,
        items=len(rows),
    )
    return LoadResult(doc.code, doc.version, True, len(rows), version.pk)


def _owner(doc: rules.CatalogueDoc) -> Unit | None:
    if not doc.owner_unit:
        return None
    unit = Unit.objects.filter(code=doc.owner_unit, valid_to__isnull=True).first()
    if unit is None:
        raise ValidationError(
            _("Danh mục %(code)s: không có đơn vị hiện hành mã %(owner_unit)s.")
            % {"code": doc.code, "owner_unit": doc.owner_unit}
        )
    return unit


def catalogues_load(
    *, actor: User | SystemActor, paths: Sequence[Path] = (), dry_run: bool = False
) -> list[LoadResult]:
    """Load catalogue files (all shipped files by default) in one transaction.

    Every file is read and validated first: one bad file loads nothing. ``dry_run`` does
    all the work, reports it and rolls back.
    """
    docs: list[tuple[Path, rules.CatalogueDoc]] = []
    problems: list[str] = []
    for path in paths or shipped_paths():
        try:
            docs.append((path, read_document(path)))
        except CatalogueError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CatalogueError(problems)
    docs.sort(key=lambda pair: (pair[1].code, pair[1].effective_from, pair[1].version))
    with transaction.atomic():
        results = [
            _load(
                doc,
                actor=actor,
                source_path=_display_path(path),
                owner_unit=_owner(doc),
                action="catalogue.load",
            )
            for path, doc in docs
        ]
        if dry_run:
            transaction.set_rollback(True)
    return results


def supplement_code(unit: Unit) -> str:
    """A unit's own rules live in one catalogue per unit (by id: codes change on renames)."""
    return f"noi-quy-{unit.pk}"


def supplement_version_create(
    *,
    actor: User | SystemActor,
    unit: Unit,
    title: str,
    version: str,
    effective_from: date,
    rules_text: str,
) -> LoadResult:
    """Issue (a new version of) a unit's internal rules, typed one rule per line.

    Only within the actor's scope for SUPPLEMENT_ACTION; the same content under the same
    version again changes nothing, other content under a used version is refused.
    """
    permissions.require(actor, SUPPLEMENT_ACTION, unit)
    if unit.valid_to is not None:
        raise ValidationError(_("Đơn vị %(name)s đã chấm dứt hoạt động.") % {"name": unit.name})
    code = supplement_code(unit)
    source = f"Nội quy của {unit.name} ({unit.code}), phiên bản {version}"
    data = {
        "code": code,
        "title": title,
        "kind": CatalogueKind.UNIT_SUPPLEMENT,
        "version": version,
        "effective_from": effective_from,
        "owner_unit": unit.code,
        "source": {"document": f"{title} — {unit.name}"},
        "items": rules.items_from_lines(code=code, text=rules_text, source=source),
    }
    try:
        doc = rules.parse_catalogue(data)
    except CatalogueError as exc:
        raise ValidationError(exc.problems) from exc
    with transaction.atomic():
        return _load(
            doc, actor=actor, source_path="", owner_unit=unit, action="catalogue.supplement"
        )


# --- A unit's internal rules against the required contents (seed 003 item 1) ---------------

REQUIRED_PATH = Path(__file__).resolve().parent / "required" / "noi-quy.yaml"
RULES_FOLDER = "unit_rules"
RULES_FILE_MAX_BYTES = 10 * 1024 * 1024
RULES_FILE_TYPES = (uploads.PDF, uploads.DOCX)
RULES_TEXT_MAX = 200_000


@lru_cache(maxsize=1)
def required_set() -> unit_rules.RequiredSet:
    """The required contents shipped with the application (``required/noi-quy.yaml``)."""
    data = yaml.load(REQUIRED_PATH.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506
    return unit_rules.required_parse(data)


def _refuse(actor: Any, allowed: bool, action: str) -> None:
    if not allowed:
        log_event("access.denied", user=getattr(actor, "pk", None), action=action)
        raise PermissionDenied


def _text_of_file(path: Path, kind: str) -> str:
    """The text of an uploaded Word or PDF file (a scan has none)."""
    try:
        if kind == uploads.DOCX:
            return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    except Exception:  # a damaged file: no text, refused below with the reason
        return ""


def _items_of(text: str) -> list[unit_rules.ParsedItem]:
    try:
        return unit_rules.items_parse(text)
    except unit_rules.RulesError as exc:
        raise ValidationError(exc.problems) from exc


def _keep_file(upload: Any) -> uploads.Kept:
    kept = uploads.evidence_keep(
        upload, folder=RULES_FOLDER, limit=RULES_FILE_MAX_BYTES, default_name="noi-quy"
    )
    if kept.kind not in RULES_FILE_TYPES:
        kept.path.unlink(missing_ok=True)
        raise ValidationError(_("Tệp nội quy phải là PDF hoặc Word (.docx)."))
    return kept


def rules_create(
    *,
    actor: User,
    unit: Unit,
    title: str,
    adopted_on: date,
    text: str = "",
    upload: Any = None,
) -> UnitRules:
    """A new version of ``unit``'s internal rules, typed or uploaded (a Word or PDF file whose
    text is read when none is typed), split into items; the items whose text did not change
    keep their mappings. Nothing of an older version is changed. ``unit_rules.manage``."""
    _refuse(actor, permissions.can(actor, Action.UNIT_RULES_MANAGE, unit), "unit_rules.create")
    title = nfc(title)
    if not title:
        raise ValidationError(_("Cần ghi tên văn bản nội quy."))
    if len(title) > 255:
        raise ValidationError(_("Tên văn bản nội quy dài quá 255 ký tự."))
    if adopted_on > timezone.localdate():
        raise ValidationError(_("Ngày ban hành không được sau ngày hôm nay."))
    if unit.valid_to is not None:
        raise ValidationError(_("Đơn vị %(name)s đã chấm dứt hoạt động.") % {"name": unit.name})
    text = clean_text(text)
    if len(text) > RULES_TEXT_MAX:
        raise ValidationError(
            _("Nội dung nội quy dài quá %(n)s ký tự.") % {"n": f"{RULES_TEXT_MAX:,}"}
        )
    if not text and upload is None:
        raise ValidationError(_("Nhập nội dung nội quy hoặc tải lên tệp Word, PDF."))
    kept: uploads.Kept | None = None
    if not text:  # the items come from the file: check them before keeping it
        kept = _keep_file(upload)
        text = clean_text(_text_of_file(kept.path, kept.kind))[:RULES_TEXT_MAX]
        if not text:
            kept.path.unlink(missing_ok=True)
            raise ValidationError(
                _(
                    "Không đọc được nội dung của tệp (bản chụp, bản quét?): hãy nhập nội dung "
                    "các điều vào ô Nội dung và tải tệp lên cùng."
                )
            )
        try:
            parsed = _items_of(text)
        except ValidationError:
            kept.path.unlink(missing_ok=True)
            raise
    else:
        parsed = _items_of(text)
        kept = _keep_file(upload) if upload is not None else None
    try:
        with transaction.atomic():
            return _rules_write(actor, unit, title, adopted_on, text, kept, parsed)
    except BaseException:
        if kept is not None:
            kept.path.unlink(missing_ok=True)
        raise


def _rules_write(
    actor: User,
    unit: Unit,
    title: str,
    adopted_on: date,
    text: str,
    kept: uploads.Kept | None,
    parsed: list[unit_rules.ParsedItem],
) -> UnitRules:
    # One writer of a unit's versions at a time: lock the unit's row alone.
    list(Unit.objects.select_for_update().filter(pk=unit.pk).order_by().values_list("pk"))
    previous = UnitRules.objects.filter(unit=unit).order_by("-version").first()
    now = timezone.now()
    rules = UnitRules.objects.create(
        unit=unit,
        version=(previous.version + 1) if previous else 1,
        title=title,
        adopted_on=adopted_on,
        text=text,
        stored_name=kept.path.name if kept else "",
        original_name=kept.name if kept else "",
        content_type=kept.kind if kept else "",
        sha256=kept.sha256 if kept else "",
        size=kept.size if kept else None,
        created_by=actor,
        created_at=now,
    )
    items = RulesItem.objects.bulk_create(
        RulesItem(rules=rules, order=n, number=p.number, text=p.text)
        for n, p in enumerate(parsed, 1)
    )
    carried: list[tuple[Any, str]] = []
    if previous is not None:
        old = RulesMapping.objects.filter(item__rules=previous).values_list("item__text", "code")
        carried = unit_rules.carried_mappings(old, [(item, item.text) for item in items])
        RulesMapping.objects.bulk_create(
            RulesMapping(item=item, code=code, created_by=actor, created_at=now)
            for item, code in carried
        )
    audit_record(
        actor=actor,
        action="unit_rules.create",
        obj=rules,
        unit=unit.pk,
        version=rules.version,
        items=len(items),
        carried=len(carried),
        sha256=rules.sha256,
    )
    return rules


def _latest(rules: UnitRules) -> None:
    latest = UnitRules.objects.filter(unit_id=rules.unit_id).order_by("-version").first()
    if latest is None or latest.pk != rules.pk:
        raise ValidationError(
            _("Phiên bản %(version)s đã có phiên bản mới hơn: chỉ gắn trên phiên bản hiện hành.")
            % {"version": rules.version}
        )


def item_map(*, actor: User, rules: UnitRules, pairs: Sequence[tuple[int, str]]) -> int:
    """Map items of the unit's current rules to required contents ((item id, code) pairs):
    all or nothing; a pair already mapped is kept. Returns how many mappings were added."""
    _refuse(actor, access.rules_check_manage(actor, rules), "unit_rules.map")
    if not pairs:
        raise ValidationError(_("Chọn ít nhất một nội dung bắt buộc để gắn."))
    _latest(rules)
    known = required_set().by_code()
    unknown = sorted({code for _item, code in pairs if code not in known})
    if unknown:
        raise ValidationError(
            _("Không có nội dung bắt buộc mã %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    items = {i.pk: i for i in RulesItem.objects.filter(rules=rules)}
    if any(item_id not in items for item_id, _code in pairs):
        raise ValidationError(_("Điều được chọn không thuộc nội quy này."))
    with transaction.atomic():
        have = set(RulesMapping.objects.filter(item__rules=rules).values_list("item_id", "code"))
        new = sorted(set(pairs) - have)
        now = timezone.now()
        RulesMapping.objects.bulk_create(
            RulesMapping(item=items[item_id], code=code, created_by=actor, created_at=now)
            for item_id, code in new
        )
        if new:
            audit_record(
                actor=actor,
                action="unit_rules.map",
                obj=rules,
                mappings=[[items[i].number, code] for i, code in new],
            )
    return len(new)


def item_unmap(*, actor: User, rules: UnitRules, item_id: int, code: str) -> None:
    """Remove a mapping of the unit's current rules."""
    _refuse(actor, access.rules_check_manage(actor, rules), "unit_rules.unmap")
    _latest(rules)
    with transaction.atomic():
        mapping = (
            RulesMapping.objects.select_related("item")
            .filter(item__rules=rules, item_id=item_id, code=code)
            .first()
        )
        if mapping is None:
            raise ValidationError(_("Điều này chưa được gắn với nội dung đó."))
        mapping.delete()
        audit_record(
            actor=actor, action="unit_rules.unmap", obj=rules, item=mapping.item.number, code=code
        )


def rules_file_path(rules: UnitRules) -> Path:
    return uploads.evidence_dir(RULES_FOLDER) / rules.stored_name
