"""`congvu eligibility --json FILE`: the pinned contract (docs/eligibility.md)."""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from congvu.emulation import cli, examples

DOC = Path(__file__).resolve().parents[3] / "docs" / "eligibility.md"
BASIC = examples.EXAMPLES[0][1]


def run(text: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main("-", stdin=io.StringIO(text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_output_shape_is_pinned():
    code, out, err = run(json.dumps(BASIC))
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert list(doc) == ["award", "regime", "result", "checks", "parameters"]
    assert (doc["award"], doc["regime"], doc["result"]) == ("LDTT", "luat06_2026", "eligible")
    for check in doc["checks"]:
        assert list(check) == ["condition", "source", "passed", "detail"]
    for parameter in doc["parameters"]:
        assert list(parameter) == ["name", "value", "confidence", "source", "overridden"]


def test_every_documented_example_is_what_the_command_answers():
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, re.S)
    pairs = list(zip(blocks[0::2], blocks[1::2], strict=True))
    assert len(pairs) == len(examples.EXAMPLES) == 11  # one per award
    awards = set()
    for given, answer in pairs:
        awards.add(json.loads(given)["award"])
        code, out, _err = run(given)
        assert code == 0 and json.loads(out) == json.loads(answer)
    assert len(awards) == 11


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"award": "BK_XYZ"}, "award: cần một trong"),
        ({"as_of": "15/12/2026"}, "as_of: cần một ngày dạng YYYY-MM-DD"),
        ({"extra": 1}, "extra: trường không có trong lược đồ"),
        ({"subject": {"kind": "collective", "history": []}}, "không xét cho đối tượng này"),
        (
            {"subject": {"kind": "individual", "history": [{"year": 2026, "rating": "GIOI"}]}},
            "subject.history[0].rating",
        ),
        (
            {"subject": {"kind": "individual", "history": [{"year": 2026, "note": "x"}]}},
            "subject.history[0].note: trường không có trong lược đồ",
        ),
        (
            {"subject": {"kind": "individual", "history": [{"year": 2026}, {"year": 2026}]}},
            "năm 2026 có hai lần",
        ),
        (
            {
                "subject": {
                    "kind": "individual",
                    "history": [
                        {"year": 2026, "initiatives": [{"id": "A", "level": "xa", "year": 2026}]}
                    ],
                }
            },
            "initiatives[0].level",
        ),
        ({"settings": {"emulation.khong_co": 1}}, "settings.emulation.khong_co"),
        ({"settings": {"emulation.ttldtt.share": 7}}, "sai kiểu hoặc ngoài khoảng"),
    ],
)
def test_bad_input_exits_2_with_vietnamese_messages_and_nothing_on_stdout(change, message):
    code, out, err = run(json.dumps({**BASIC, **change}))
    assert (code, out) == (2, "")
    assert message in err and err.startswith("Dữ liệu vào không hợp lệ:")


def test_members_as_a_list_or_as_counts_give_the_same_answer():
    listed = examples.EXAMPLES[5][1]
    counts = json.loads(json.dumps(listed))
    counts["subject"]["history"][0]["members"] = {
        "count": 3,
        "ldtt": 3,
        "cstdcs": 1,
        "kht": 0,
        "warned": 1,
    }
    assert (
        json.loads(run(json.dumps(listed))[1])["checks"]
        == json.loads(run(json.dumps(counts))[1])["checks"]
    )


def test_a_setting_override_is_listed_as_overridden():
    given = {**examples.EXAMPLES[1][1], "settings": {"emulation.cstdcs.needs_both": True}}
    doc = json.loads(run(json.dumps(given))[1])
    assert doc["result"] == "not_eligible"
    row = next(p for p in doc["parameters"] if p["name"] == "emulation.cstdcs.needs_both")
    assert (row["value"], row["overridden"]) == (True, True)


def test_the_command_from_python_and_the_shell(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(BASIC), encoding="utf-8")
    out = io.StringIO()
    call_command("eligibility", "--json", str(path), stdout=out)
    assert json.loads(out.getvalue())["result"] == "eligible"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("eligibility", "--json", str(path))
    assert raised.value.returncode == 2
    done = subprocess.run(  # noqa: S603 (fixed argv)
        [sys.executable, "-m", "congvu", "eligibility", "--json", "-"],
        input=b"{",
        capture_output=True,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == b""
