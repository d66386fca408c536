import pytest

from congvu.organisations import selectors
from congvu.testing import make_staff

pytestmark = pytest.mark.django_db


def test_search_ignores_diacritics_and_case(province):
    found = selectors.staff_list_for_user(user=province["head_syt"], q="nguyen van an")
    assert [s.full_name for s in found] == ["Nguyễn Văn An"]


def test_search_matches_staff_code(province):
    code = province["nurse"].code
    found = selectors.staff_list_for_user(user=province["snv"], q=code.lower())
    assert [s.code for s in found] == [code]


def test_search_never_reaches_outside_scope(province):
    assert not selectors.staff_list_for_user(user=province["head_syt"], q="vo thi anh").exists()
    assert selectors.staff_list_for_user(user=province["head_stp"], q="vo thi anh").count() == 1


def test_list_sorts_the_vietnamese_way(province):
    unit = province["stp"]
    for ho, dem, ten in [
        ("Trần", "Văn", "Bình"),
        ("Lê", "Thị", "Ân"),
        ("Nguyễn", "Văn", "Bình"),
        ("Đỗ", "Thị", "An"),
    ]:
        make_staff(unit, ho, dem, ten)
    names = [
        s.full_name for s in selectors.staff_list_for_user(user=province["head_stp"], unit=unit)
    ]
    assert names == [
        "Đỗ Thị An",
        "Võ Thị Ánh",  # a < â: "Ánh" (a with a tone) comes before "Ân"
        "Lê Thị Ân",
        "Nguyễn Văn Bình",
        "Trần Văn Bình",
        "Phạm Minh Châu",
    ]


def test_unit_filter_includes_subunits_and_predecessors(province):
    names = {
        s.full_name
        for s in selectors.staff_list_for_user(user=province["snv"], unit=province["syt"])
    }
    assert names == {"Trần Thị Bích", "Nguyễn Văn An", "Lê Văn Đức"}


def test_stored_text_is_nfc(province):
    import unicodedata

    staff = make_staff(province["stp"], unicodedata.normalize("NFD", "Nguyễn"), "Văn", "Tú")
    staff.refresh_from_db()
    assert unicodedata.is_normalized("NFC", staff.ho)
    assert staff.search_text.startswith("nguyen van tu")
