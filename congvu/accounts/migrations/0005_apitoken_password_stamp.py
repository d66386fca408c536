# API tokens remember a keyed hash of their owner's password hash: a password changed by any
# path then stops them. Existing tokens are stamped with their owner's current password.

from django.conf import settings
from django.db import migrations, models
from django.utils.crypto import salted_hmac

STAMP_SALT = "congvu.accounts.api-token-password"  # as congvu.accounts.services.STAMP_SALT


def stamp_existing(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    tokens = ApiToken.objects.filter(password_stamp="").select_related("user")
    for token in tokens.iterator(chunk_size=500):
        stamp = salted_hmac(STAMP_SALT, token.user.password, secret=settings.SECRET_KEY)
        token.password_stamp = stamp.hexdigest()[:16]
        token.save(update_fields=["password_stamp"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_role_reporter_reader"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="password_stamp",
            field=models.CharField(blank=True, default="", editable=False, max_length=16),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="thu hồi lúc"),
        ),
        migrations.RunPython(stamp_existing, migrations.RunPython.noop),
    ]
