from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "congvu.accounts"
    verbose_name = "Tài khoản và vai trò"
