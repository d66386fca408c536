from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "congvu.ratings"
    verbose_name = "Đánh giá sự hài lòng"
