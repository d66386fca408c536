"""The `congvu classify --json FILE` contract, end to end (docs/classify.md)."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from congvu.evaluations import cli

DOC = Path(__file__).resolve().parents[3] / "docs" / "classify.md"
APP = "congvu.evaluations"


def doc_block(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\s*```json\n(.*?)\n```", DOC.read_text(), re.S)
    assert match, f"no {marker} block in {DOC}"
    return match.group(1)


def person(pid="a", **kw) -> dict:
    return {"id": pid, "category": "cong_chuc", "months_worked": 12, "period_scores": [80], **kw}


def doc(*people, **top) -> str:
    return json.dumps({"regime": "nd335", "year": 2026, "people": list(people), **top})


def errors_of(text: str) -> list[str]:
    with pytest.raises(cli.InputError) as caught:
        cli.classify_text(text)
    return caught.value.errors


# --- the pinned shape ----------------------------------------------------------------------

TOP = ["version", "regime", "year", "results", "cap", "caps", "parameters"]
RESULT = ["id", "group", "level", "score", "reasons"]
REASON = ["code", "kind", "text", "source"]
CAP = [
    "group",
    "htxs",
    "allowed",
    "exceeded",
    "htt",
    "share",
    "must_change",
    "candidates",
    "beyond",
    "source",
]
PARAMETER = ["name", "value", "confidence", "source", "overridden"]


def test_output_shape_is_pinned():
    out = cli.classify_text(doc_block("example-input"))
    assert list(out) == TOP
    assert (out["version"], out["regime"], out["year"]) == (1, "nd335", 2026)
    for result in out["results"]:
        assert list(result) == RESULT
        assert result["level"] in {"HTXS", "HTT", "HTNV", "KHT", "KXL"}
        assert result["score"] is None or isinstance(result["score"], int | float)
        for reason in result["reasons"]:
            assert list(reason) == REASON
            assert reason["kind"] in {"exclude", "level", "limit", "force", "info"}
            assert all(isinstance(reason[k], str) and reason[k] for k in REASON)
    assert list(out["cap"]) == CAP  # one group: the object of issue 3
    assert out["caps"] == [out["cap"]]
    types = (str, int, int, bool, int, float, int, list, list, str)
    assert all(isinstance(out["cap"][k], t) for k, t in zip(CAP, types, strict=True))
    for parameter in out["parameters"]:
        assert list(parameter) == PARAMETER
        assert parameter["confidence"] in {"C", "C*", "U"}


def test_documented_example_is_exactly_what_the_command_prints():
    out = cli.classify_text(doc_block("example-input"))
    assert out == json.loads(doc_block("example-output"))
    assert [(r["id"], r["level"]) for r in out["results"]] == [
        ("CC-001", "HTXS"),
        ("CC-002", "HTT"),
        ("CC-003", "KHT"),
        ("CC-004", "KXL"),
    ]
    assert (out["cap"]["exceeded"], out["cap"]["beyond"]) == (True, ["CC-001"])


def test_several_groups_give_a_list_of_caps_and_no_group_an_empty_list():
    out = cli.classify_text(doc(person("a", group="x"), person("b", group="y")))
    assert [c["group"] for c in out["cap"]] == ["x", "y"]
    assert out["cap"] == out["caps"]
    empty = cli.classify_text(doc())
    assert (empty["results"], empty["cap"], empty["caps"]) == ([], [], [])


def test_every_reason_code_emitted_is_documented():
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)`", DOC.read_text(), re.M))
    documented |= set(re.findall(r"`((?:SCORE|ND90)_[A-Z]+)`", DOC.read_text()))
    texts = [
        doc_block("example-input"),
        doc(
            person("h", is_head=True, is_leader=True, flags=["unit_corruption"]),
            person("s", months_worked=3, flags=["maternity_leave"]),
            person(
                "d",
                discipline=[{"form": "canh_cao", "effective": "2025-01-02", "duty_related": True}],
            ),
            unit_level="HTT",
            parameters={"nd335.head_not_above_unit": True},
        ),
    ]
    emitted = {
        reason["code"]
        for text in texts
        for result in cli.classify_text(text)["results"]
        for reason in result["reasons"]
    }
    assert emitted <= documented


# --- inputs ---------------------------------------------------------------------------------


def test_missing_optional_keys_take_their_documented_defaults():
    out = cli.classify_text(
        doc({"id": 1, "category": "cong_chuc", "months_worked": 12, "period_scores": [70]})
    )
    result = out["results"][0]
    assert (result["group"], result["level"], result["score"]) == (None, "HTT", 70)


def test_parameters_override_a_setting_and_say_so():
    p = person("h", is_head=True, period_scores=[95], unit_level="HTNV")
    out = cli.classify_text(doc(p, parameters={"nd335.head_not_above_unit": True}))
    assert out["results"][0]["level"] == "HTNV"
    row = next(r for r in out["parameters"] if r["name"] == "nd335.head_not_above_unit")
    assert (row["value"], row["overridden"], row["confidence"]) == (True, True, "U")


def test_outstanding_unit_raises_the_cap_share_to_25_percent():
    people = [person(f"t{i}") for i in range(8)] + [
        person(f"x{i}", period_scores=[95]) for i in range(2)
    ]
    plain = cli.classify_text(doc(*people))["cap"]
    outstanding = cli.classify_text(doc(*people, unit_level="HTXS"))["cap"]
    assert (plain["allowed"], plain["exceeded"]) == (1, True)
    assert (outstanding["share"], outstanding["allowed"], outstanding["exceeded"]) == (
        0.25,
        2,
        False,
    )


def test_nd90_takes_facts_and_returns_no_score():
    facts = {"general": "met", "tasks_done_pct": 100, "tasks_on_time_pct": 100}
    text = json.dumps(
        {
            "regime": "nd90",
            "year": 2025,
            "people": [{"id": 1, "category": "vien_chuc", "months_worked": 12, "facts": facts}],
        }
    )
    (result,) = cli.classify_text(text)["results"]
    assert (result["level"], result["score"], result["reasons"][0]["code"]) == (
        "HTT",
        None,
        "ND90_HTT",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{", "JSON không hợp lệ"),
        ("[]", "gốc JSON phải là một đối tượng"),
        ('{"regime": "nd335", "year": 2026, "people": [], "x": 1}', 'khóa "x"'),
        ('{"regime": "nd1", "year": 2026, "people": []}', "regime: phải là một trong nd90"),
        ('{"regime": "nd335", "year": "2026", "people": []}', "year: phải là số nguyên"),
        ('{"regime": "nd335", "year": 2026}', "people: phải là một mảng"),
        ('{"regime": "nd335", "year": 2026, "people": [1]}', "people[0]: phải là một đối tượng"),
        ('{"regime": "nd335", "year": 2026, "unit_level": "A", "people": []}', "unit_level"),
        (doc(person(category="x")), "people[0].category: phải là một trong"),
        (doc(person(id=True)), "people[0].id"),
        (doc(person(id="")), "people[0].id"),
        (doc(person(group=[1])), "people[0].group"),
        (doc(person(is_leader="yes")), "people[0].is_leader: phải là true hoặc false"),
        (doc(person(months_worked=13)), "people[0].months_worked: phải là số nguyên từ 0 đến 12"),
        (doc({"id": 1, "category": "cong_chuc"}), "people[0].months_worked"),
        (doc(person(months_worked=10, months_absent=3)), "months_worked + months_absent"),
        (
            doc(person(period_scores=[100.01])),
            "people[0].period_scores[0]: phải là số từ 0 đến 100",
        ),
        (doc(person(period_scores=[True])), "people[0].period_scores[0]"),
        (doc(person(period_scores=[80] * 13)), "tối đa 12"),
        ('{"regime": "nd335", "year": 2026, "people": [{"period_scores": [NaN]}]}', "NaN"),
        (doc(person(flags=["vip"])), '"vip" không có trong danh mục'),
        (doc(person(mood="x")), 'people[0]: khóa "mood"'),
        (doc(person(facts={})), "people[0].facts: chỉ dùng cho nd90"),
        (doc(person("a"), person("a")), "people[1].id: trùng id 'a'"),
        (doc(person(period_scores=[])), "people[0] (id='a'): thiếu điểm"),
        (doc(person(is_head=True), parameters={"nd335.head_not_above_unit": True}), "unit_level"),
        (doc(person(category="vien_chuc")), "dùng nd233"),
        (doc(parameters={"nd335.nope": 1}), "parameters.nd335.nope: không có tham số này"),
        (doc(parameters={"nd335.cap_share": -1}), "parameters.nd335.cap_share: sai kiểu"),
        (doc(parameters={"nd335.head_not_above_unit": 1}), "sai kiểu"),
        (
            doc(
                person(
                    discipline=[
                        {"form": "khien_trach", "effective": "20260101", "duty_related": True}
                    ]
                )
            ),
            "effective: phải là ngày dạng YYYY-MM-DD",
        ),
        (
            doc(person(discipline=[{"form": "khien_trach", "effective": "2026-01-01"}])),
            "duty_related: thiếu",
        ),
        (
            doc(
                person(
                    discipline=[{"form": "phat", "effective": "2026-01-01", "duty_related": True}]
                )
            ),
            "form: phải là một trong khien_trach",
        ),
        (
            doc(
                person(
                    discipline=[
                        {"form": "giang_chuc", "effective": "2026-01-01", "duty_related": True}
                    ]
                )
            ),
            "không áp dụng cho công chức",
        ),
        (
            doc(
                person(
                    discipline=[
                        {
                            "form": "khai_tru",
                            "effective": "2026-01-01",
                            "duty_related": True,
                            "system": "dang",
                        }
                    ]
                )
            ),
            "system: phải là một trong",
        ),
        (
            doc(
                person(
                    discipline=[
                        {
                            "form": "khien_trach",
                            "effective": "2026-01-01",
                            "duty_related": True,
                            "why": 1,
                        }
                    ]
                )
            ),
            'khóa "why"',
        ),
    ],
)
def test_bad_input_is_reported_in_vietnamese_with_its_json_path(text, expected):
    errors = errors_of(text)
    assert any(expected in e for e in errors), errors


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"tasks_done_pct": 100, "tasks_on_time_pct": 100}, "facts.general"),
        ({"general": "met", "tasks_on_time_pct": 100}, "facts.tasks_done_pct: thiếu"),
        (
            {"general": "met", "tasks_done_pct": 90, "tasks_on_time_pct": 95},
            "không được lớn hơn tasks_done_pct",
        ),
        (
            {"general": "met", "tasks_done_pct": 100, "tasks_on_time_pct": 101},
            "phải là số từ 0 đến 100",
        ),
        ({"general": "met", "tasks_done_pct": 100, "tasks_on_time_pct": 100, "x": 1}, 'khóa "x"'),
        (None, "thiếu dữ kiện"),
    ],
)
def test_bad_nd90_facts(facts, expected):
    p = {"id": 1, "category": "cong_chuc", "months_worked": 12}
    if facts is not None:
        p["facts"] = facts
    errors = errors_of(json.dumps({"regime": "nd90", "year": 2025, "people": [p]}))
    assert any(expected in e for e in errors), errors


def test_every_problem_is_reported_at_once():
    errors = errors_of(
        doc(person("a", months_worked=20), person("b", category="x"), person("c", flags=["?"]))
    )
    assert len(errors) == 3


# --- the entry point ---------------------------------------------------------------------------


def run_main(source: str, stdin_text: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(source, stdin=io.StringIO(stdin_text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_main_reads_stdin_for_a_dash_and_prints_json():
    code, out, err = run_main("-", doc(person()))
    assert (code, err) == (0, "")
    assert json.loads(out)["results"][0]["level"] == "HTT"


def test_main_reads_a_utf8_file_with_a_bom(tmp_path):
    path = tmp_path / "in.json"
    path.write_bytes(b"\xef\xbb\xbf" + doc(person(group="Phòng Tổ chức")).encode())
    code, out, _ = run_main(str(path))
    assert code == 0
    assert json.loads(out)["cap"]["group"] == "Phòng Tổ chức"


def test_main_decodes_bytes_from_a_binary_stdin():
    stdin = io.TextIOWrapper(io.BytesIO(doc(person()).encode()), encoding="latin-1")
    out, err = io.StringIO(), io.StringIO()
    assert cli.main("-", stdin=stdin, stdout=out, stderr=err) == 0


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: str(p / "missing.json"), "không đọc được tệp"),
        (
            lambda p: (p / "x.json").write_bytes(b"\xff\xfe{") and str(p / "x.json"),
            "không phải văn bản UTF-8",
        ),
    ],
)
def test_main_reports_unreadable_files(tmp_path, make, expected):
    code, out, err = run_main(make(tmp_path))
    assert (code, out) == (2, "")
    assert expected in err


def test_main_exits_2_with_nothing_on_stdout_for_bad_input():
    code, out, err = run_main("-", doc(person(months_worked=-1)))
    assert (code, out) == (2, "")
    assert err.startswith("Dữ liệu vào không hợp lệ:\n- people[0].months_worked")


# --- the management command ------------------------------------------------------------------


@pytest.fixture
def installed():
    if apps.is_installed(APP):
        yield
        return
    # Until congvu.evaluations is in INSTALLED_APPS, install it for the test only.
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, APP]):
        yield


def test_command_prints_the_document(installed, tmp_path):
    path = tmp_path / "in.json"
    path.write_text(doc_block("example-input"))
    out = io.StringIO()
    call_command("classify", "--json", str(path), stdout=out)
    assert json.loads(out.getvalue()) == json.loads(doc_block("example-output"))


def test_command_raises_command_error_with_code_2_from_python(installed, tmp_path):
    path = tmp_path / "in.json"
    path.write_text("{}")
    with pytest.raises(CommandError) as caught:
        call_command("classify", "--json", str(path), stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert "regime" in str(caught.value)


@pytest.mark.parametrize(
    ("stdin", "code", "stdout_empty", "stderr_start"),
    [
        (doc(person()), 0, False, ""),
        (doc(person(months_worked=99)), 2, True, "Dữ liệu vào không hợp lệ:"),
    ],
)
def test_shell_command_exit_codes(stdin, code, stdout_empty, stderr_start):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "congvu.evaluations.tests.settings"}
    done = subprocess.run(  # noqa: S603 (fixed argv)
        [sys.executable, "-m", "congvu", "classify", "--json", "-"],
        input=stdin.encode(),
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == code, done.stderr.decode()
    assert (done.stdout == b"") is stdout_empty
    assert done.stderr.decode().startswith(stderr_start)
