# Background work that produces a file (exports): core.Job, run by core.jobs (decision 59).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_notification"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Job",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=64, verbose_name="loại")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Đang chờ"),
                            ("running", "Đang tạo tệp"),
                            ("done", "Hoàn thành"),
                            ("failed", "Không thành công"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="trạng thái",
                    ),
                ),
                ("parameters", models.JSONField(blank=True, default=dict, verbose_name="tham số")),
                ("total", models.PositiveIntegerField(default=0, verbose_name="tổng số dòng")),
                ("done", models.PositiveIntegerField(default=0, verbose_name="đã xử lý")),
                ("file_name", models.CharField(blank=True, editable=False, max_length=64)),
                ("message", models.TextField(blank=True, verbose_name="thông báo")),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="thời điểm yêu cầu"),
                ),
                (
                    "started_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="bắt đầu lúc"),
                ),
                (
                    "finished_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="xong lúc"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người yêu cầu",
                    ),
                ),
            ],
            options={
                "verbose_name": "tác vụ tạo tệp",
                "verbose_name_plural": "tác vụ tạo tệp",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["status", "created_at"], name="core_job_status_idx")
                ],
            },
        ),
    ]
