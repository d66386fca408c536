"""The inspections' pure rules, table by table (no database)."""

import pytest

from congvu.inspections import catalogue, rules


@pytest.mark.parametrize(
    ("kind", "started", "visible"),
    [
        (rules.PLANNED, False, True),
        (rules.PLANNED, True, True),
        (rules.AD_HOC, False, True),
        (rules.UNANNOUNCED, False, False),
        (rules.UNANNOUNCED, True, True),
    ],
)
def test_an_unannounced_inspection_is_hidden_from_the_inspected_unit_until_it_starts(
    kind, started, visible
):
    assert rules.visible_to_inspected(kind, started) is visible


@pytest.mark.parametrize(
    ("member_unit", "scope", "conflict"),
    [
        (5, {5, 6, 7}, True),  # the inspected unit itself
        (7, {5, 6, 7}, True),  # a unit under it
        (4, {5, 6, 7}, False),  # the unit above it (Sở Y tế inspecting its hospital)
        (None, {5, 6, 7}, False),  # a login with no staff record
        (9, set(), False),
    ],
)
def test_a_member_may_not_inspect_their_own_unit_or_a_unit_above_theirs(
    member_unit, scope, conflict
):
    assert rules.conflict_of_interest(member_unit, scope) is conflict


@pytest.mark.parametrize(
    ("leads", "members", "refused"),
    [
        (1, [1, 2, 3], None),
        (0, [1, 2], "Đoàn kiểm tra phải có đúng một trưởng đoàn."),
        (2, [1, 2], "Đoàn kiểm tra phải có đúng một trưởng đoàn."),
        (1, [1, 1], "Một người chỉ được ghi một lần trong đoàn kiểm tra."),
    ],
)
def test_a_team_has_one_lead_and_nobody_twice(leads, members, refused):
    assert rules.team_refusal(leads, members) == refused


@pytest.mark.parametrize(
    ("items", "answered", "refused"),
    [
        (3, 3, None),
        (3, 2, "Còn 1 nội dung chưa có kết quả kiểm tra."),
        (0, 0, "Cuộc kiểm tra chưa có nội dung kiểm tra nào."),
    ],
)
def test_an_inspection_closes_only_when_every_item_is_answered(items, answered, refused):
    assert rules.close_refusal(items, answered) == refused


@pytest.mark.parametrize(
    ("result", "person_level", "staff", "note", "refused"),
    [
        (rules.COMPLIANT, True, None, "", None),
        (rules.NOT_COMPLIANT, True, 4, "Không đeo thẻ", None),
        (rules.NOT_COMPLIANT, True, 4, "  ", "Cần ghi nhận xét khi kết quả là «Không đạt»."),
        (rules.NOT_APPLICABLE, False, None, "", None),
        (rules.COMPLIANT, False, 4, "", "Nội dung này kiểm tra cơ quan, không ghi người vi phạm."),
        ("maybe", True, None, "", "Kết quả kiểm tra không hợp lệ."),
    ],
)
def test_what_an_answer_must_hold(result, person_level, staff, note, refused):
    assert rules.answer_refusal(result, person_level, staff, note) == refused


def test_an_answer_sent_again_is_a_replay_and_changed_content_under_the_same_key_is_refused():
    payload = {"item": 1, "result": "compliant", "note": "Tốt", "staff": None}
    digest = rules.payload_digest(payload)
    assert digest == rules.payload_digest(dict(reversed(payload.items())))
    assert rules.answer_replay(None, digest) == rules.NEW
    assert rules.answer_replay(digest, digest) == rules.REPLAY
    other = rules.payload_digest({**payload, "note": "Khác"})
    assert rules.answer_replay(digest, other) == rules.KEY_REUSED


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("3f2a9c1e-7b4d-4e2a-9f1c-0a1b2c3d4e5f", True),
        ("short", False),
        ("x" * 65, False),
        ("abc def ghi jkl mno", False),
        ("<script>alert(1)</script>", False),
    ],
)
def test_an_idempotency_key_is_a_uuid_like_token(key, valid):
    assert rules.key_valid(key) is valid


@pytest.mark.parametrize(
    ("state", "move", "roles", "target", "refusal"),
    [
        (rules.SCHEDULED, rules.START, {rules.LEAD}, rules.IN_PROGRESS, None),
        (
            rules.SCHEDULED,
            rules.START,
            {rules.MEMBER},
            None,
            "Chỉ trưởng đoàn được bắt đầu kiểm tra.",
        ),
        (rules.IN_PROGRESS, rules.CLOSE, {rules.LEAD}, rules.CLOSED, None),
        (
            rules.SCHEDULED,
            rules.CLOSE,
            {rules.LEAD},
            None,
            "Không thể kết thúc kiểm tra khi cuộc kiểm tra ở trạng thái «Chưa tiến hành».",
        ),
        (
            rules.CLOSED,
            rules.START,
            {rules.LEAD},
            None,
            "Không thể bắt đầu kiểm tra khi cuộc kiểm tra ở trạng thái «Đã kết thúc».",
        ),
    ],
)
def test_the_inspection_workflow(state, move, roles, target, refusal):
    decision = rules.MACHINE.decide(state, move, roles)
    assert (decision.target, decision.refusal) == (target, refusal)


def test_the_catalogue_has_the_legal_checklist_with_stable_codes_and_bases():
    codes = [item.code for item in catalogue.ITEMS]
    assert codes[:3] == ["A1", "A2", "A3"] and codes[-1] == "F4"
    assert len(codes) == len(set(codes)) == 27
    assert all(item.basis and item.confidence in {"C", "S", "U"} for item in catalogue.ITEMS)
    assert {item.area for item in catalogue.ITEMS} == set(catalogue.AREA_NAMES)
    assert catalogue.BY_CODE["B1"].basis.startswith("QĐ 129/2007 Điều 7")
    assert not catalogue.BY_CODE["E1"].person_level and catalogue.BY_CODE["B1"].person_level
    layout = catalogue.items_for_areas(["E", "Z"])
    assert [item.code for item in layout] == ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]
