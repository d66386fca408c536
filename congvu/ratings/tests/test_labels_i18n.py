"""The rating page's scores and «4 xin, 4 luôn, 3 không» items, labels of the pure
``ratings.rules``, follow the page's language; Vietnamese stays the default (decision 62)."""

import pytest
from django.urls import reverse

from congvu.core.tests.test_i18n import english
from congvu.ratings.tests.conftest import make_desk, token_of

pytestmark = pytest.mark.django_db


def test_the_rating_page_asks_in_the_citizens_language(province, client):
    url = reverse("ratings_public:rate", args=[token_of(make_desk(province))])
    html = client.get(url).content.decode()
    assert "Rất hài lòng" in html and "Luôn lắng nghe" in html and "Always listens" not in html
    english(client)
    html = client.get(url).content.decode()
    assert "Very satisfied" in html and "Always listens" in html and "4 xin (courtesies)" in html
    assert "Rất hài lòng" not in html and "Luôn lắng nghe" not in html
