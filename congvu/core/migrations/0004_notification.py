# The inbox moves below the capabilities (issue 10): core.Notification, about any subject.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_setting_override"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=16, verbose_name="loại")),
                ("message", models.TextField(verbose_name="nội dung")),
                ("subject_type", models.CharField(blank=True, default="", max_length=64)),
                ("subject_id", models.CharField(blank=True, default="", max_length=64)),
                ("key", models.CharField(blank=True, max_length=128, null=True, unique=True)),
                ("created_at", models.DateTimeField(verbose_name="thời điểm")),
                ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="đã đọc lúc")),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "thông báo",
                "verbose_name_plural": "thông báo",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["recipient", "read_at"], name="core_notification_inbox_idx"
                    )
                ],
            },
        ),
    ]
