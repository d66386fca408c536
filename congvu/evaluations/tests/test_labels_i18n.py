"""An evaluation's state, moves and level, labels of the pure ``workflow`` and ``regimes``
modules, follow the page's language; Vietnamese stays the default (decision 62)."""

import pytest
from django.urls import reverse

from congvu.core.tests.test_i18n import english
from congvu.evaluations import services
from congvu.evaluations.tests import factories as f

pytestmark = pytest.mark.django_db


def test_my_evaluations_show_the_state_and_level_in_the_pages_language(province, client, tmp_path):
    version = f.load(tmp_path, f.individual_doc())
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    an = f.evaluation_of(cycle, province.staff["syt_cc"])
    client.force_login(province["staff"])
    html = client.get(reverse("evaluations:my_list")).content.decode()
    assert "Đang tự đánh giá" in html and "Self-assessment in progress" not in html
    english(client)
    html = client.get(reverse("evaluations:my_list")).content.decode()
    assert "Self-assessment in progress" in html and "Đang tự đánh giá" not in html

    f.to_reviewed(province["staff"], province["head_syt"], an)
    council = province["council"]
    services.council_conclude(
        actor=council, evaluations=[an], confirm_over_cap=True, comment="Hội đồng thống nhất"
    )
    services.publish(actor=council, evaluations=[an])
    an.refresh_from_db()
    html = client.get(reverse("evaluations:my_detail", args=[an.pk])).content.decode()
    assert 'id="evaluation-state">Published<' in html
    assert "submit the self-assessment: Self-assessment in progress → " in html
    level = {"HTXS": "Excellent", "HTT": "Good", "HTNV": "Task", "KHT": "Non"}[an.final_level]
    assert f'Classification</dt><dd class="col-sm-8">{level}' in html  # the reasons stay as given
    assert "Đang tự đánh giá" not in html and "Đã công bố" not in html
