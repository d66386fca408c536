from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "congvu.evaluations"
    verbose_name = "Đánh giá, xếp loại"
