from django.core.management.base import BaseCommand, CommandError

from congvu.accounts.models import User
from congvu.accounts.services import token_create


class Command(BaseCommand):
    help = "Tạo khóa API cho một tài khoản và in ra (chỉ hiện một lần)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--label", default="")

    def handle(self, *args, username: str, label: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {username}.")
        self.stdout.write(token_create(actor=None, user=user, label=label))
