from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "congvu.evaluations"
    verbose_name = "Đánh giá, xếp loại"

    def ready(self) -> None:
        from congvu.evaluations import regimes  # noqa: F401 (registers its dated settings)
