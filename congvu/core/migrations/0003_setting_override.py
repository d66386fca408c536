# The province's own values of dated settings (core.dated).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_rate_counter"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SettingOverride",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="tham số")),
                ("value", models.JSONField(verbose_name="giá trị")),
                ("valid_from", models.DateField(verbose_name="từ ngày")),
                (
                    "valid_to",
                    models.DateField(blank=True, null=True, verbose_name="đến ngày (không gồm)"),
                ),
                (
                    "source",
                    models.CharField(max_length=500, verbose_name="căn cứ (văn bản của tỉnh)"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "tham số riêng của tỉnh",
                "verbose_name_plural": "tham số riêng của tỉnh",
                "ordering": ["name", "valid_from"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("name", "valid_from"), name="settingoverride_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("valid_to__isnull", True),
                            ("valid_to__gt", models.F("valid_from")),
                            _connector="OR",
                        ),
                        name="settingoverride_interval_valid",
                    ),
                ],
            },
        ),
    ]
