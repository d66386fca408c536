"""`congvu task-status --json FILE`: the pinned contract (docs/task-status.md)."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from congvu.plans import cli

DOC = Path(__file__).resolve().parents[3] / "docs" / "task-status.md"
EXAMPLE_IN = {
    "as_of": "2026-11-16",
    "tasks": [
        {
            "id": "III.2-bao-cao",
            "timing": {
                "kind": "yearly",
                "day": 15,
                "month": 11,
                "from_year": 2025,
                "to_year": None,
            },
            "progress": [{"on": "2025-11-14", "state": "done", "period": 2025}],
        },
        {"id": 7, "timing": {"kind": "by_year", "year": 2026}, "progress": []},
        {
            "id": "II.1",
            "timing": {"kind": "ongoing", "report_day": 15, "report_month": 11, "from_year": 2026},
            "progress": [{"on": "2026-11-10", "state": "in_progress", "period": None}],
        },
        {"id": "II.14", "timing": {"kind": "conditional", "event_date": None, "within_days": 90}},
        {
            "id": "III.1",
            "timing": {"kind": "by_date", "date": "2019-07-31"},
            "progress": [{"on": "2019-08-02", "state": "done"}],
        },
    ],
}


def run(text: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main("-", stdin=io.StringIO(text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_output_shape_is_pinned():
    code, out, err = run(json.dumps(EXAMPLE_IN))
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert list(doc) == ["results"]
    for result in doc["results"]:
        assert list(result) == ["id", "status", "due", "days_late", "periods", "reasons"]
        for period in result["periods"]:
            assert list(period) == ["period", "due", "status"]
        for reason in result["reasons"]:
            assert list(reason) == ["code", "kind", "text", "source"]
    summary = [(r["id"], r["status"], r["due"], r["days_late"]) for r in doc["results"]]
    assert summary == [
        ("III.2-bao-cao", "late", "2026-11-15", 1),
        (7, "not_started", "2026-12-31", None),
        ("II.1", "ongoing", "2026-11-15", None),
        ("II.14", "waiting", None, None),
        ("III.1", "done_late", "2019-07-31", 2),
    ]
    assert [p["status"] for p in doc["results"][0]["periods"]] == ["done", "late"]


def test_the_documented_example_is_exactly_what_the_command_prints():
    text = DOC.read_text(encoding="utf-8")
    given = text.split("```json\n")[1].split("```")[0]
    printed = text.split("```json\n")[2].split("```")[0]
    assert json.loads(given) == EXAMPLE_IN
    code, out, _ = run(given)
    assert code == 0 and json.loads(out) == json.loads(printed)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("not json", "JSON không hợp lệ"),
        ("[]", "gốc JSON phải là một đối tượng"),
        ('{"as_of": "2026-01-01", "tasks": [], "x": NaN}', "giá trị NaN không hợp lệ"),
        ('{"tasks": []}', "as_of: cần một ngày dạng YYYY-MM-DD"),
        ('{"as_of": "2026-02-30", "tasks": []}', "as_of: ngày không có thật: 2026-02-30"),
        ('{"as_of": "2026-01-01", "tasks": {}}', "tasks: cần một danh sách"),
        ('{"as_of": "2026-01-01", "tasks": [], "extra": 1}', "extra: trường không có trong lược đồ"),
        ('{"as_of": "2026-01-01", "tasks": [{"id": 1, "timing": {"kind": "weekly"}}]}', "tasks[0].timing.kind: cần một trong"),
        ('{"as_of": "2026-01-01", "tasks": [{"id": 1, "timing": {"kind": "by_date"}}]}', "tasks[0].timing.date: thiếu trường bắt buộc"),
        ('{"as_of": "2026-01-01", "tasks": [{"id": 1, "timing": {"kind": "yearly", "day": 31, "month": 2, "from_year": 2020}}]}', "ngày 31/2 không có thật"),
        ('{"as_of": "2026-01-01", "tasks": [{"id": 1, "timing": {"kind": "yearly", "day": 1, "month": 1, "from_year": 2020, "to_year": 2019}}]}', "năm kết thúc trước năm bắt đầu"),
        ('{"as_of": "2026-01-01", "tasks": [{"id": true, "timing": {"kind": "by_year", "year": 2026}}]}', "tasks[0].id: cần một mã"),
        ('{"as_of": "2026-01-01", "tasks": [{"id": 1, "timing": {"kind": "by_year", "year": 2026}}, {"id": 1, "timing": {"kind": "by_year", "year": 2026}}]}', "tasks[1].id: mã 1 bị trùng"),
        ('{"as_of": "2026-01-01", "tasks": [{"id": 1, "timing": {"kind": "by_year", "year": 2026}, "progress": [{"on": "2026-01-01", "state": "finished"}]}]}', "tasks[0].progress[0].state: cần một trong"),
        ('{"as_of": "2026-01-01", "tasks": [{"id": 1, "timing": {"kind": "conditional", "within_days": -1}}]}', "tasks[0].timing.within_days: cần một số nguyên"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_vietnamese_messages_and_nothing_on_stdout(document, expected):
    code, out, err = run(document)
    assert code == 2 and out == ""
    assert err.startswith("Dữ liệu vào không hợp lệ:") and expected in err


def test_every_problem_is_reported_at_once():
    document = '{"as_of": "x", "tasks": [{"timing": {"kind": "by_year", "year": 1800}}]}'
    _, _, err = run(document)
    assert "as_of" in err and "tasks[0].id" in err and "tasks[0].timing.year" in err


def test_the_django_command_raises_command_error_with_code_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("task-status", "--json", str(bad))
    assert raised.value.returncode == 2
    good = tmp_path / "good.json"
    good.write_text(json.dumps(EXAMPLE_IN), encoding="utf-8")
    out = io.StringIO()
    call_command("task-status", "--json", str(good), stdout=out)
    assert json.loads(out.getvalue())["results"][3]["status"] == "waiting"


@pytest.mark.parametrize(
    ("stdin", "code", "empty_stdout"), [(json.dumps(EXAMPLE_IN), 0, False), ("{", 2, True)]
)
def test_shell_command_exit_codes(stdin, code, empty_stdout):
    done = subprocess.run(  # noqa: S603 (fixed argv)
        [sys.executable, "-m", "congvu", "task-status", "--json", "-"],
        input=stdin.encode(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == code
    assert (done.stdout == b"") is empty_stdout
