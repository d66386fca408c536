from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "congvu.organisations"
    verbose_name = "Tổ chức và nhân sự"

    def ready(self) -> None:
        from congvu.organisations import exports  # noqa: F401 (registers its export job)
