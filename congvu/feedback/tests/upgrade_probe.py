"""Steps of the upgrade test (test_upgrade.py), each run in a child process on the test's own
database under the settings the test names: ``python -m congvu.feedback.tests.upgrade_probe
<step>``. Each prints one JSON object on its last line of output.

- ``seed``   (legacy settings, label ``reports``): what the demo leaves empty — a report with
  an attachment, an internal note.
- ``check``  (real settings, after the upgrade): the app reads the old rows and writes new ones.
- ``schema`` (real settings): the app's tables as the database describes them, without the
  names Django derives from a table's name (an adopted table keeps its old index names).
"""

import json
import sys

import django

MODELS = (
    "Report",
    "ReporterContact",
    "ReportAttachment",
    "ReportEvent",
    "ReportNote",
    "SupervisionFinding",
)

# Names made from the table's name (Django's and SQLite's): a renamed table keeps its old ones.
DERIVED = ("feedback_", "reports_", "sqlite_autoindex_", "__unnamed_constraint_", "fk_")


def seed() -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congvu.accounts.models import User
    from congvu.feedback import services
    from congvu.feedback.tests.conftest import jpeg_bytes, report_input

    upload = SimpleUploadedFile("anh.jpg", jpeg_bytes(), content_type="image/jpeg")
    data = report_input("KHA-P-NHATRANG", uploads=[upload])
    report = services.report_submit(data=data).report
    handler = User.objects.get(username="xuly")
    services.report_note_add(actor=handler, report=report, text="Đã gọi lại cho tổ một cửa.")
    return {"report": report.pk}


def check() -> dict:
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.test import Client
    from django.urls import reverse

    from congvu.accounts.models import User
    from congvu.core.models import AuditLog
    from congvu.feedback import rules, services, supervision
    from congvu.feedback.models import Report, SupervisionFinding
    from congvu.feedback.tests.conftest import report_input

    models = [apps.get_model("feedback", name) for name in MODELS]
    counts = {m.__name__: m.objects.count() for m in models}
    read = sum(len(list(m.objects.all())) for m in models)  # every old row through the ORM
    old_max = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    old_code = rules.tracking_code_display(Report.objects.order_by("pk").first().code)
    last_audit = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    handler, front = User.objects.get(username="xuly"), User.objects.get(username="mttq")
    new = services.report_submit(data=report_input("KHA-P-NHATRANG")).report
    services.report_move(actor=handler, report=new, move="verify")
    finding = supervision.finding_file(
        actor=front,
        unit=new.unit,
        title="Giám sát sau nâng cấp",
        content="Nội dung giám sát sau khi nâng cấp.",
        due_on=None,
    )
    client = Client()
    client.force_login(handler)
    page = client.get(reverse("feedback:handling_list")).content.decode()
    detail = client.get(reverse("feedback:handling_detail", args=[new.pk]))
    return {
        "counts": counts,
        "read": read,
        "new_report_after_old": new.pk > old_max,
        "new_finding_after_old": finding.pk == SupervisionFinding.objects.order_by("pk").last().pk,
        "old_report_listed": old_code in page,
        "detail_status": detail.status_code,
        "new_audit_types": sorted(
            set(
                AuditLog.objects.filter(
                    pk__gt=last_audit, action__regex=r"^(report|supervision)\."
                ).values_list("object_type", flat=True)
            )
        ),
        "content_types": sorted(
            ContentType.objects.filter(app_label__in=["reports", "feedback"]).values_list(
                "app_label", "model"
            )
        ),
        "permissions": Permission.objects.filter(content_type__app_label="feedback").count(),
    }


def schema() -> dict:
    from django.db import connection

    described = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if not table.startswith("feedback_"):
                continue
            columns = sorted(
                (c.name, str(c.type_code), bool(c.null_ok))
                for c in connection.introspection.get_table_description(cursor, table)
            )
            constraints = []
            for name, c in connection.introspection.get_constraints(cursor, table).items():
                derived = name.startswith(DERIVED) or name == "__primary__"
                constraints.append(
                    json.dumps(
                        {
                            "name": "" if derived else name,
                            "columns": c["columns"],
                            "primary_key": c["primary_key"],
                            "unique": c["unique"],
                            "foreign_key": c["foreign_key"],
                            "index": c["index"],
                            "check": c["check"],
                        },
                        sort_keys=True,
                    )
                )
            described[table] = {"columns": columns, "constraints": sorted(constraints)}
    return described


if __name__ == "__main__":
    django.setup()
    step = {"seed": seed, "check": check, "schema": schema}[sys.argv[1]]
    print(json.dumps(step(), ensure_ascii=False, default=str))
