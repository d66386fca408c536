# The inbox moves to core (issue 10): every row is copied to core_notification with its id,
# its evaluation kept as the subject ("evaluations.evaluation", id); then the table goes.

from django.db import migrations

SUBJECT = "evaluations.evaluation"


def copy_rows(apps, schema_editor):
    old = apps.get_model("evaluations", "Notification")
    new = apps.get_model("core", "Notification")
    batch = []
    for row in old.objects.order_by("id").iterator(chunk_size=2000):
        batch.append(
            new(
                id=row.id,
                recipient_id=row.recipient_id,
                kind=row.kind,
                message=row.message,
                subject_type=SUBJECT if row.evaluation_id else "",
                subject_id=str(row.evaluation_id) if row.evaluation_id else "",
                key=row.key,
                created_at=row.created_at,
                read_at=row.read_at,
            )
        )
        if len(batch) == 2000:
            new.objects.bulk_create(batch)
            batch = []
    new.objects.bulk_create(batch)
    connection = schema_editor.connection
    if connection.vendor == "postgresql":  # ids were given: the sequence must follow them
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [new]):
                cursor.execute(sql)


def copy_back(apps, schema_editor):
    old = apps.get_model("evaluations", "Notification")
    new = apps.get_model("core", "Notification")
    old.objects.bulk_create(
        old(
            id=row.id,
            recipient_id=row.recipient_id,
            kind=row.kind,
            message=row.message,
            evaluation_id=int(row.subject_id) if row.subject_type == SUBJECT else None,
            key=row.key,
            created_at=row.created_at,
            read_at=row.read_at,
        )
        for row in new.objects.order_by("id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_cycles_evaluations_scores_trail"),
        ("core", "0004_notification"),
    ]

    operations = [
        migrations.RunPython(copy_rows, copy_back),
        migrations.DeleteModel(name="Notification"),
    ]
