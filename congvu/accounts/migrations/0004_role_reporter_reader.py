# The designated reader of reporters' identity: a role of its own, granted explicitly.

from django.db import migrations, models

ROLES = [
    ("so_noi_vu", "Cán bộ Sở Nội vụ"),
    ("unit_head", "Thủ trưởng đơn vị"),
    ("handler", "Cán bộ xử lý phản ánh, kiến nghị"),
    ("staff", "Cán bộ, công chức, viên chức"),
    ("council", "Thành viên Hội đồng TĐKT"),
    ("inspector", "Thành viên đoàn kiểm tra"),
    ("mttq", "Ủy ban MTTQ"),
    ("leader", "Lãnh đạo UBND tỉnh"),
    ("admin", "Quản trị hệ thống"),
    ("reporter_reader", "Người được chỉ định xem danh tính người phản ánh (Sở Nội vụ)"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_role_handler"),
    ]

    operations = [
        migrations.AlterField(
            model_name=model,
            name="role",
            field=models.CharField(choices=ROLES, max_length=16, verbose_name="vai trò"),
        )
        for model in ("historicalroleassignment", "roleassignment")
    ]
