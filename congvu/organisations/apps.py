from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "congvu.organisations"
    verbose_name = "Tổ chức và nhân sự"
