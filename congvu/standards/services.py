"""The only writers of catalogues: load versions from files, add a unit's own rules.

Loading is idempotent by (catalogue code, version, checksum of the content): the same
content again changes nothing; other content under a version string already loaded is
refused; a new version adds rows and never touches the criteria of older versions.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import permissions
from congvu.core.actors import SystemActor, login_of
from congvu.core.audit import audit_record
from congvu.core.permissions import Action
from congvu.organisations.models import Unit
from congvu.standards import rules
from congvu.standards.models import Catalogue, CatalogueKind, CatalogueVersion, Criterion
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
