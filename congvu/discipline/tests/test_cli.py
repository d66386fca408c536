"""`congvu discipline-check --json FILE`: the pinned contract (docs/discipline-check.md)."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from congvu.discipline import cli

DOC = Path(__file__).resolve().parents[3] / "docs" / "discipline-check.md"
EXAMPLE_IN = {
    "as_of": "2026-11-21",
    "person": {"category": "cong_chuc", "is_leader": False},
    "violation": {
        "committed_on": "2026-01-12",
        "detected_on": "2026-02-02",
        "level": "khien_trach",
        "no_limitation": None,
        "complex": False,
        "paused_days": 0,
    },
    "decision": {"form": "khien_trach", "effective": "2026-04-20"},
}


def run(text: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main("-", stdin=io.StringIO(text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_output_shape_is_pinned():
    code, out, err = run(json.dumps(EXAMPLE_IN))
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert list(doc) == [
        "limitation_ends",
        "time_barred",
        "processing_deadline",
        "form_valid",
        "regime",
        "effects",
        "reasons",
        "overdue",
        "parameters",
    ]
    assert doc["limitation_ends"] == "2031-01-12" and doc["time_barred"] is False
    assert doc["processing_deadline"] == "2026-05-03"
    assert (doc["form_valid"], doc["regime"]) == (True, "nd172")
    assert [e["effect"] for e in doc["effects"]] == [
        "evaluation_kht",
        "emulation_blocked",
        "no_appointment",
        "salary_raise_delay",
    ]
    for effect in doc["effects"]:
        assert list(effect) == ["effect", "from", "until", "months", "source"]
    delay = doc["effects"][-1]
    assert (delay["from"], delay["until"], delay["months"]) == ("2026-04-20", "2026-10-20", 6)
    for reason in doc["reasons"]:
        assert list(reason) == ["code", "kind", "text", "source"]
    unconfirmed = {p["name"] for p in doc["parameters"] if p["confidence"] == "U"}
    assert "discipline.salary_delay_months.medium" in unconfirmed
    for parameter in doc["parameters"]:
        assert list(parameter) == ["name", "value", "confidence", "source", "overridden"]


def test_without_a_decision_the_form_and_effects_are_null():
    given = {**EXAMPLE_IN, "decision": None}
    doc = json.loads(run(json.dumps(given))[1])
    assert (doc["form_valid"], doc["effects"]) == (None, [])
    assert doc["regime"] == "nd172"  # the regime on as_of


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"as_of": "21/11/2026"}, "as_of: cần một ngày dạng YYYY-MM-DD"),
        ({"person": {"category": "nhan_vien", "is_leader": False}}, "person.category"),
        ({"person": {"category": "cong_chuc", "is_leader": "có"}}, "person.is_leader: cần true"),
        ({"violation": {**EXAMPLE_IN["violation"], "level": "nang"}}, "violation.level"),
        (
            {"violation": {**EXAMPLE_IN["violation"], "no_limitation": "x"}},
            "violation.no_limitation",
        ),
        ({"violation": {**EXAMPLE_IN["violation"], "paused_days": -1}}, "violation.paused_days"),
        (
            {"violation": {**EXAMPLE_IN["violation"], "detected_on": "2025-01-01"}},
            "ngày phát hiện trước ngày vi phạm",
        ),
        ({"decision": {"form": "phat_tien", "effective": "2026-04-20"}}, "decision.form"),
        ({"decision": {"form": "khien_trach", "effective": "2026-02-30"}}, "ngày không có thật"),
        ({"extra": 1}, "extra: trường không có trong lược đồ"),
        ({"parameters": {"khong.co": 1}}, "parameters.khong.co"),
    ],
)
def test_bad_input_exits_2_with_vietnamese_messages_and_nothing_on_stdout(change, message):
    code, out, err = run(json.dumps({**EXAMPLE_IN, **change}))
    assert (code, out) == (2, "")
    assert message in err and err.startswith("Dữ liệu vào không hợp lệ:")


def test_not_json_and_not_an_object():
    assert run("{")[0] == 2
    code, out, err = run("[]")
    assert (code, out) == (2, "") and "gốc JSON phải là một đối tượng" in err


def test_a_parameter_override_is_listed_as_overridden():
    given = {**EXAMPLE_IN, "parameters": {"discipline.salary_delay_months.medium": 9}}
    doc = json.loads(run(json.dumps(given))[1])
    assert doc["effects"][-1]["months"] == 9
    row = next(p for p in doc["parameters"] if p["name"] == "discipline.salary_delay_months.medium")
    assert (row["value"], row["overridden"]) == (9, True)


def test_the_command_from_python_and_from_the_shell(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(EXAMPLE_IN), encoding="utf-8")
    out = io.StringIO()
    call_command("discipline-check", "--json", str(path), stdout=out)
    assert json.loads(out.getvalue())["form_valid"] is True
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("discipline-check", "--json", str(path))
    assert raised.value.returncode == 2


@pytest.mark.parametrize(
    ("stdin", "code", "empty_stdout"), [(json.dumps(EXAMPLE_IN), 0, False), ("{", 2, True)]
)
def test_shell_command_exit_codes(stdin, code, empty_stdout):
    done = subprocess.run(  # noqa: S603 (fixed argv)
        [sys.executable, "-m", "congvu", "discipline-check", "--json", "-"],
        input=stdin.encode(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == code
    assert (done.stdout == b"") is empty_stdout
    if code == 2:
        assert "Dữ liệu vào không hợp lệ" in done.stderr.decode()


def test_the_documented_example_is_what_the_command_answers():
    text = DOC.read_text(encoding="utf-8")
    given = json.loads(text.split("```json\n", 2)[1].split("```", 1)[0])
    answer = json.loads(text.split("```json\n", 3)[2].split("```", 1)[0])
    assert json.loads(run(json.dumps(given))[1]) == answer
