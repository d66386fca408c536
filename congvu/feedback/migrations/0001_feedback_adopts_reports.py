"""The citizens' feedback app, labelled ``reports`` until it was renamed ``feedback``.

The state is the models as they were (``CreateModel``…); the database gets one step,
``adopt_or_create``: on a database that holds the old app's tables it renames them and moves
what names the old label (content types, audit records, migration rows), keeping every row;
on a new database it creates the tables. Why: docs/decisions.md, "The app map".

A migration imports no app code: choices are literal values, the functions are below.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD, NEW = "reports", "feedback"
OLD_MIGRATIONS = {"0001_reports_findings_and_trail", "0002_report_desk"}
MODELS = (  # in creation order: a model before those that refer to it
    "Report",
    "ReporterContact",
    "ReportAttachment",
    "ReportEvent",
    "ReportNote",
    "SupervisionFinding",
)


def _tables(apps) -> list[tuple]:
    """(old name, new name, model) of every table of the app: the models' and the
    many-to-many tables Django makes (simple_history's tables would be models too)."""
    rows = []
    for model in apps.get_app_config(NEW).get_models(include_auto_created=True):
        table = model._meta.db_table
        if table.startswith(f"{NEW}_"):
            rows.append((OLD + table[len(NEW) :], table, model))
    return rows


def _old_migrations(connection) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM django_migrations WHERE app = %s", [OLD])
        return {name for (name,) in cursor.fetchall()}


def _relabel(apps, alias: str) -> None:
    """What stores the old label: content types (permissions, admin log entries and any
    generic relation point to them by id, so they follow) and audit records' object type."""
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(alias)
    old_models = list(content_types.filter(app_label=OLD).values_list("model", flat=True))
    # A `migrate <another app>` run before this step made empty twins (post_migrate): the old
    # rows, with what points to them, take their place.
    content_types.filter(app_label=NEW, model__in=old_models).delete()
    content_types.filter(app_label=OLD).update(app_label=NEW)
    audit = apps.get_model("core", "AuditLog").objects.using(alias)
    old_types = audit.filter(object_type__startswith=f"{OLD}.").values_list("object_type")
    for (object_type,) in old_types.distinct().order_by():
        audit.filter(object_type=object_type).update(object_type=NEW + object_type[len(OLD) :])


def adopt_or_create(apps, schema_editor) -> None:
    connection = schema_editor.connection
    existing = set(connection.introspection.table_names())
    if f"{OLD}_report" not in existing:  # a new database
        for name in MODELS:
            schema_editor.create_model(apps.get_model(NEW, name))
        return
    applied = _old_migrations(connection)
    tables = _tables(apps)
    missing = sorted(old for old, _new, _model in tables if old not in existing)
    if applied != OLD_MIGRATIONS or missing:
        raise RuntimeError(  # for the operator, who reads Vietnamese
            f"Cơ sở dữ liệu có ứng dụng '{OLD}' ở các bước {sorted(applied)} (thiếu bảng: "
            f"{missing}); bản này chỉ tiếp nhận nó ở các bước {sorted(OLD_MIGRATIONS)}: hãy "
            "chạy migrate bằng phiên bản trước khi đổi tên trước, rồi nâng cấp."
        )
    for old, new, model in tables:
        schema_editor.alter_db_table(model, old, new)
    _relabel(apps, connection.alias)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", [OLD])


def drop_tables(apps, schema_editor) -> None:
    for name in reversed(MODELS):
        schema_editor.delete_model(apps.get_model(NEW, name))


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("discipline", "0001_discipline_register"),
        ("organisations", "0002_staff_search_trigram"),
        ("ratings", "0002_tally_year_grain"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Report",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.CharField(
                                max_length=16, unique=True, verbose_name="mã theo dõi"
                            ),
                        ),
                        ("form_key", models.CharField(editable=False, max_length=64, unique=True)),
                        ("form_digest", models.CharField(editable=False, max_length=64)),
                        (
                            "place",
                            models.CharField(
                                blank=True,
                                max_length=200,
                                verbose_name="nơi xảy ra (bộ phận, quầy)",
                            ),
                        ),
                        (
                            "official_name",
                            models.CharField(
                                blank=True,
                                max_length=100,
                                verbose_name="người bị phản ánh (người dân ghi)",
                            ),
                        ),
                        ("category", models.CharField(max_length=32, verbose_name="nhóm hành vi")),
                        (
                            "categories_version",
                            models.CharField(max_length=16, verbose_name="phiên bản danh mục"),
                        ),
                        ("happened_on", models.DateField(verbose_name="ngày xảy ra")),
                        ("description", models.TextField(verbose_name="nội dung")),
                        ("anonymous", models.BooleanField(default=False, verbose_name="ẩn danh")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("received", "Đã tiếp nhận"),
                                    ("verifying", "Đang xác minh"),
                                    ("handled", "Đã xử lý, chờ trả lời"),
                                    ("answered", "Đã trả lời"),
                                    ("closed", "Đã kết thúc"),
                                    ("rejected", "Không có cơ sở (đã trả lời)"),
                                ],
                                default="received",
                                max_length=16,
                                verbose_name="trạng thái",
                            ),
                        ),
                        ("received_at", models.DateTimeField(verbose_name="thời điểm tiếp nhận")),
                        ("received_on", models.DateField(verbose_name="ngày tiếp nhận")),
                        (
                            "sla_days",
                            models.PositiveSmallIntegerField(verbose_name="số ngày xử lý"),
                        ),
                        ("due_on", models.DateField(verbose_name="hạn trả lời")),
                        (
                            "answered_on",
                            models.DateField(blank=True, null=True, verbose_name="ngày trả lời"),
                        ),
                        (
                            "public_answer",
                            models.TextField(blank=True, verbose_name="trả lời công khai"),
                        ),
                        (
                            "substantiated",
                            models.BooleanField(blank=True, null=True, verbose_name="có cơ sở"),
                        ),
                        ("finding", models.TextField(blank=True, verbose_name="kết quả xác minh")),
                        (
                            "finding_criterion",
                            models.CharField(
                                blank=True, max_length=160, verbose_name="chuẩn mực bị vi phạm"
                            ),
                        ),
                        ("concluded_at", models.DateTimeField(blank=True, null=True)),
                        ("updated_at", models.DateTimeField()),
                        ("search_text", models.TextField(default="", editable=False)),
                        (
                            "concluded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "desk",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reports",
                                to="ratings.servicepoint",
                                verbose_name="điểm đánh giá",
                            ),
                        ),
                        (
                            "discipline_record",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="discipline.disciplinerecord",
                                verbose_name="quyết định kỷ luật",
                            ),
                        ),
                        (
                            "finding_staff",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organisations.staff",
                                verbose_name="cán bộ vi phạm",
                            ),
                        ),
                        (
                            "official",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organisations.staff",
                                verbose_name="người bị phản ánh",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organisations.unit",
                                verbose_name="đơn vị bị phản ánh",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "phản ánh, kiến nghị",
                        "verbose_name_plural": "phản ánh, kiến nghị",
                        "ordering": ["-received_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="ReportAttachment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField()),
                        ("stored_name", models.CharField(editable=False, max_length=64)),
                        (
                            "original_name",
                            models.CharField(max_length=255, verbose_name="tên tệp gốc"),
                        ),
                        ("content_type", models.CharField(max_length=64)),
                        ("size", models.PositiveIntegerField()),
                        ("sha256", models.CharField(max_length=64)),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attachments",
                                to="feedback.report",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["report_id", "position"],
                    },
                ),
                migrations.CreateModel(
                    name="ReporterContact",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="họ và tên")),
                        (
                            "phone",
                            models.CharField(blank=True, max_length=20, verbose_name="điện thoại"),
                        ),
                        (
                            "email",
                            models.CharField(
                                blank=True, max_length=254, verbose_name="thư điện tử"
                            ),
                        ),
                        (
                            "report",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="contact",
                                to="feedback.report",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "người phản ánh",
                        "verbose_name_plural": "người phản ánh",
                    },
                ),
                migrations.CreateModel(
                    name="ReportEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "move",
                            models.CharField(
                                choices=[
                                    ("receive", "Tiếp nhận"),
                                    ("verify", "Bắt đầu xác minh"),
                                    ("conclude", "Kết luận xác minh"),
                                    ("reverify", "Xác minh lại"),
                                    ("answer", "Trả lời người phản ánh"),
                                    ("reject", "Kết luận không có cơ sở"),
                                    ("close", "Kết thúc hồ sơ"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("from_status", models.CharField(blank=True, max_length=16)),
                        (
                            "to_status",
                            models.CharField(
                                choices=[
                                    ("received", "Đã tiếp nhận"),
                                    ("verifying", "Đang xác minh"),
                                    ("handled", "Đã xử lý, chờ trả lời"),
                                    ("answered", "Đã trả lời"),
                                    ("closed", "Đã kết thúc"),
                                    ("rejected", "Không có cơ sở (đã trả lời)"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("at", models.DateTimeField()),
                        ("comment", models.TextField(blank=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="feedback.report",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["report_id", "at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="ReportNote",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("text", models.TextField()),
                        ("created_at", models.DateTimeField()),
                        (
                            "author",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notes",
                                to="feedback.report",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["report_id", "created_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="SupervisionFinding",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="tiêu đề")),
                        ("content", models.TextField(verbose_name="nội dung giám sát, kiến nghị")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Chờ đơn vị trả lời"),
                                    ("answered", "Đơn vị đã trả lời"),
                                    ("closed", "Đã kết thúc giám sát"),
                                ],
                                default="open",
                                max_length=16,
                                verbose_name="trạng thái",
                            ),
                        ),
                        ("filed_at", models.DateTimeField(verbose_name="ngày kiến nghị")),
                        ("due_on", models.DateField(verbose_name="hạn trả lời")),
                        ("answer", models.TextField(blank=True, verbose_name="trả lời của đơn vị")),
                        (
                            "answered_on",
                            models.DateField(blank=True, null=True, verbose_name="ngày trả lời"),
                        ),
                        (
                            "front_comment",
                            models.TextField(blank=True, verbose_name="ý kiến của Mặt trận"),
                        ),
                        (
                            "closed_on",
                            models.DateField(blank=True, null=True, verbose_name="ngày kết thúc"),
                        ),
                        ("updated_at", models.DateTimeField()),
                        (
                            "answered_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "filed_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="organisations.unit",
                                verbose_name="đơn vị được giám sát",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "kiến nghị giám sát",
                        "verbose_name_plural": "kiến nghị giám sát",
                        "ordering": ["-filed_at", "-id"],
                    },
                ),
                migrations.AddIndex(
                    model_name="report",
                    index=models.Index(fields=["unit", "status"], name="report_unit_status_idx"),
                ),
                migrations.AddIndex(
                    model_name="report",
                    index=models.Index(fields=["status", "due_on"], name="report_status_due_idx"),
                ),
                migrations.AddIndex(
                    model_name="report",
                    index=models.Index(fields=["received_on", "unit"], name="report_received_idx"),
                ),
                migrations.AddConstraint(
                    model_name="reportattachment",
                    constraint=models.UniqueConstraint(
                        fields=("report", "position"), name="attachment_position_unique"
                    ),
                ),
                migrations.AddIndex(
                    model_name="supervisionfinding",
                    index=models.Index(fields=["unit", "status"], name="finding_unit_status_idx"),
                ),
            ],
        ),
        migrations.RunPython(adopt_or_create, drop_tables),
    ]
