"""The organisation rules on plain rows, without a database."""

from datetime import date

import pytest

from congvu.organisations import rules
from congvu.organisations.rules import EventRow, VersionRow

D = date
MERGER = D(2025, 7, 1)

# 1 province KH, 2 province NT (ended by merger into 1), 3 district under 1 (dissolved → 5),
# 4 old commune under 3 (merged into 5), 5 new commune under 1, 6 dept under 1 renamed 2026,
# 7 unit moved from 6 to 8 on 2026-01-01, 8 another dept, 9 NT dept ended into 6.
VERSIONS = [
    VersionRow(1, "KHA", "UBND tỉnh Khánh Hòa", "ubnd_tinh", None, D(2008, 1, 1), None),
    VersionRow(2, "NTH", "UBND tỉnh Ninh Thuận", "ubnd_tinh", None, D(2008, 1, 1), MERGER),
    VersionRow(3, "H-CL", "UBND huyện Cam Lâm", "ubnd_huyen", 1, D(2008, 1, 1), MERGER),
    VersionRow(4, "X-CHD", "UBND xã Cam Hải Đông", "ubnd_xa", 3, D(2008, 1, 1), MERGER),
    VersionRow(5, "X-CL", "UBND xã Cam Lâm", "ubnd_xa", 1, MERGER, None),
    VersionRow(6, "SNV", "Sở Nội vụ", "so_ban_nganh", 1, D(2008, 1, 1), D(2026, 1, 1)),
    VersionRow(6, "SNV", "Sở Nội vụ tỉnh Khánh Hòa", "so_ban_nganh", 1, D(2026, 1, 1), None),
    VersionRow(7, "TT", "Trung tâm", "don_vi_su_nghiep", 6, D(2010, 1, 1), D(2026, 1, 1)),
    VersionRow(7, "TT", "Trung tâm", "don_vi_su_nghiep", 8, D(2026, 1, 1), None),
    VersionRow(8, "STP", "Sở Tư pháp", "so_ban_nganh", 1, D(2008, 1, 1), None),
    VersionRow(9, "NT-SNV", "Sở Nội vụ Ninh Thuận", "so_ban_nganh", 2, D(2008, 1, 1), MERGER),
]
EVENTS = [
    EventRow(1, "merge", MERGER, (1, 2), (1,)),
    EventRow(2, "merge", MERGER, (4,), (5,)),
    EventRow(3, "dissolve", MERGER, (3,), (5,)),
    EventRow(4, "rename", D(2026, 1, 1), (6,), (6,)),
    EventRow(5, "move", D(2026, 1, 1), (7,), (7,)),
    EventRow(6, "merge", MERGER, (6, 9), (6,)),
]


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "day", "expected"),
    [
        (D(2020, 1, 1), None, D(2019, 12, 31), False),
        (D(2020, 1, 1), None, D(2020, 1, 1), True),
        (D(2020, 1, 1), MERGER, D(2025, 6, 30), True),
        (D(2020, 1, 1), MERGER, MERGER, False),
    ],
)
def test_holds_on_is_half_open(valid_from, valid_to, day, expected):
    assert rules.holds_on(valid_from, valid_to, day) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((D(2020, 1, 1), D(2021, 1, 1)), (D(2021, 1, 1), None), False),
        ((D(2020, 1, 1), D(2021, 1, 2)), (D(2021, 1, 1), None), True),
        ((D(2020, 1, 1), None), (D(2030, 1, 1), None), True),
        ((D(2022, 1, 1), D(2023, 1, 1)), (D(2020, 1, 1), D(2022, 1, 1)), False),
    ],
)
def test_intervals_overlap(a, b, expected):
    assert rules.intervals_overlap(a, b) is expected


@pytest.mark.parametrize(
    ("day", "roots", "present", "absent"),
    [
        (D(2024, 6, 30), {"KHA", "NTH"}, {"H-CL", "X-CHD", "NT-SNV"}, {"X-CL"}),
        (D(2025, 6, 30), {"KHA", "NTH"}, {"H-CL"}, {"X-CL"}),
        (MERGER, {"KHA"}, {"X-CL"}, {"H-CL", "X-CHD", "NTH", "NT-SNV"}),
        (D(2026, 11, 21), {"KHA"}, {"X-CL", "TT"}, {"NTH"}),
    ],
)
def test_tree_as_of(day, roots, present, absent):
    current = rules.versions_as_of(VERSIONS, day)
    children = rules.children_map(current)
    codes = {v.code for v in current.values()}
    assert {current[u].code for u in children[None]} == roots
    assert present <= codes
    assert not (absent & codes)


def test_name_as_of_follows_the_version_in_force():
    assert rules.versions_as_of(VERSIONS, D(2025, 12, 31))[6].name == "Sở Nội vụ"
    assert rules.versions_as_of(VERSIONS, D(2026, 1, 1))[6].name == "Sở Nội vụ tỉnh Khánh Hòa"


def test_moved_unit_changes_parent_on_its_date():
    assert rules.versions_as_of(VERSIONS, D(2025, 12, 31))[7].parent_id == 6
    assert rules.versions_as_of(VERSIONS, D(2026, 1, 1))[7].parent_id == 8


@pytest.mark.parametrize(
    ("unit", "since", "expected"),
    [
        (2, D(2020, 1, 1), {1}),  # Ninh Thuận → Khánh Hòa
        (1, D(2020, 1, 1), {1}),  # Khánh Hòa continues
        (3, D(2020, 1, 1), {5}),  # district → new commune
        (4, D(2020, 1, 1), {5}),  # old commune → new commune
        (9, D(2020, 1, 1), {6}),  # NT department → Sở Nội vụ
        (6, D(2020, 1, 1), {6}),  # renamed unit is its own successor
        (5, D(2026, 1, 1), {5}),
        (2, D(2025, 7, 2), set()),  # asked after its end: nothing follows from then
    ],
)
def test_successors_today(unit, since, expected):
    exists = set(rules.versions_as_of(VERSIONS, D(2026, 11, 21)))
    assert rules.successors_on(EVENTS, unit, since, exists) == expected


def test_split_leads_to_every_part_and_the_continuing_unit():
    events = [EventRow(1, "split", D(2026, 1, 1), (10,), (10, 11, 12))]
    assert rules.successors_on(events, 10, D(2025, 1, 1), {10, 11, 12}) == {10, 11, 12}


def test_successors_follow_a_chain_of_events():
    events = [
        EventRow(1, "merge", D(2020, 1, 1), (1, 2), (3,)),
        EventRow(2, "merge", D(2025, 7, 1), (3, 4), (5,)),
    ]
    assert rules.successors_on(events, 1, D(2019, 1, 1), {5}) == {5}


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        (1, {1, 2}),
        (5, {5, 3, 4}),
        (6, {6, 9}),
        (8, {8}),
    ],
)
def test_predecessors_closure(unit, expected):
    assert rules.predecessors_closure(EVENTS, [unit]) == expected


@pytest.mark.parametrize(
    ("roots", "subtree", "expected"),
    [
        # Province with subtree: everything that exists plus every ended unit of both provinces.
        ([1], True, {1, 2, 3, 4, 5, 6, 7, 8, 9}),
        # Sở Nội vụ with subtree: itself, the NT department it absorbed; the centre moved away.
        ([6], True, {6, 9}),
        # Sở Tư pháp with subtree: the centre moved in on 01/01/2026.
        ([8], True, {7, 8}),
        # New commune alone: its predecessors (old commune, abolished district).
        ([5], False, {3, 4, 5}),
        # Khánh Hòa without subtree: itself and Ninh Thuận, not Ninh Thuận's departments.
        ([1], False, {1, 2}),
    ],
)
def test_scope_closure(roots, subtree, expected):
    got = rules.scope_closure(VERSIONS, EVENTS, roots, subtree=subtree, today=D(2026, 11, 21))
    assert got == expected


@pytest.mark.parametrize("subtree", [True, False])
def test_scope_closures_are_each_root_s_scope_closure(subtree):
    today = D(2026, 11, 21)
    roots = [1, 2, 3, 4, 5, 6, 7, 8, 9]
    got = rules.scope_closures(VERSIONS, EVENTS, roots, subtree=subtree, today=today)
    assert got == {
        root: rules.scope_closure(VERSIONS, EVENTS, [root], subtree=subtree, today=today)
        for root in roots
    }


def test_descendants_survive_a_cycle():
    assert rules.descendants({1: [2], 2: [1]}, [1]) == {1, 2}
