"""Migration ratings 0002: the unread day grain gives way to the year grain."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from congvu.ratings.models import RatingTally

pytestmark = pytest.mark.django_db
migration = importlib.import_module("congvu.ratings.migrations.0002_tally_year_grain")


def test_day_rows_go_and_year_rows_sum_the_months():
    rows = [
        ("d", "unit", 7, date(2025, 3, 4), 9),  # the day grain: dropped
        ("m", "unit", 7, date(2025, 3, 1), 2),
        ("m", "unit", 7, date(2025, 11, 1), 3),
        ("m", "unit", 7, date(2026, 1, 1), 4),
        ("m", "desk", 7, date(2025, 6, 1), 5),
    ]
    RatingTally.objects.bulk_create(
        RatingTally(grain=g, level=lv, key_id=k, period=p, n=n, score_sum=4 * n, n4=n, yes_chao=1)
        for g, lv, k, p, n in rows
    )
    migration.day_to_year(apps, None)
    years = {
        (t.level, t.key_id, t.period): (t.n, t.score_sum, t.n4, t.yes_chao)
        for t in RatingTally.objects.filter(grain="y")
    }
    assert years == {
        ("unit", 7, date(2025, 1, 1)): (5, 20, 5, 2),
        ("unit", 7, date(2026, 1, 1)): (4, 16, 4, 1),
        ("desk", 7, date(2025, 1, 1)): (5, 20, 5, 1),
    }
    assert not RatingTally.objects.filter(grain="d").exists()
    assert RatingTally.objects.filter(grain="m").count() == 4
    migration.year_to_day(apps, None)
    assert not RatingTally.objects.filter(grain="y").exists()
