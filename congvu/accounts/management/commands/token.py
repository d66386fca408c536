from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from congvu.accounts.models import ApiToken, User
from congvu.accounts.services import token_create, token_revoke, tokens_revoke_all
from congvu.core.actors import COMMAND


class Command(BaseCommand):
    help = (
        "Tạo khóa API cho một tài khoản và in ra (chỉ hiện một lần); --list liệt kê, "
        "--revoke TIỀN_TỐ thu hồi một khóa, --revoke-all thu hồi mọi khóa của tài khoản."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--label", default="")
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--list", action="store_true", help="Liệt kê các khóa của tài khoản.")
        what.add_argument("--revoke", metavar="TIỀN_TỐ", help="Thu hồi khóa có tiền tố này.")
        what.add_argument("--revoke-all", action="store_true", help="Thu hồi mọi khóa còn dùng.")

    def handle(self, *args, username: str, label: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {username}.")
        if options["list"]:
            self._list(user)
        elif options["revoke"]:
            self._revoke(user, options["revoke"].strip().rstrip("…"))
        elif options["revoke_all"]:
            done = tokens_revoke_all(actor=COMMAND, user=user, reason="command")
            self.stdout.write(f"Đã thu hồi {done} khóa API của {username}.")
        else:
            self.stdout.write(token_create(actor=COMMAND, user=user, label=label))

    def _list(self, user: User) -> None:
        for t in ApiToken.objects.filter(user=user).order_by("created_at", "id"):
            state = f"thu hồi {_when(t.revoked_at)}" if t.revoked_at else "đang dùng"
            self.stdout.write(
                f"{t.prefix}…  tạo {_when(t.created_at)}  dùng lần cuối {_when(t.last_used_at)}"
                f"  {state}  {t.label}"
            )

    def _revoke(self, user: User, prefix: str) -> None:
        tokens = list(
            ApiToken.objects.filter(
                user=user, prefix=prefix, revoked_at__isnull=True
            ).select_related("user")
        )
        if not tokens:
            raise CommandError(f"{user.username} không có khóa nào đang dùng với tiền tố {prefix}.")
        for token in tokens:
            token_revoke(actor=COMMAND, token=token, reason="command")
        self.stdout.write(f"Đã thu hồi {len(tokens)} khóa API {prefix}… của {user.username}.")


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "—"
