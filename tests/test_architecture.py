"""The layer order is checked, not remembered: import-linter contracts (pyproject.toml) run in
`make lint`; here, that a forbidden import does break them, and that no app imports another
app's private helpers."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (this venv's lint-imports, fixed arguments)
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_tree(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "congvu",
        tmp_path / "congvu",
        ignore=shutil.ignore_patterns("__pycache__", "static", "locale"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("core/dated.py", "from django.db import models", "rules modules are pure"),
        ("core/text.py", "from congvu.ratings import rules", "the kernel knows no app above it"),
        (
            "core/permissions.py",
            "import congvu.evaluations.models",
            "the permission module knows no capability",
        ),
        (
            "organisations/graph.py",
            "from congvu.core import permissions",
            "nothing below the permission module imports it back",
        ),
        (
            "accounts/services.py",
            "import congvu.feedback.services",
            "organisations and accounts know no capability",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(copy_of_the_tree, module, line, contract):
    assert _lint(copy_of_the_tree).returncode == 0, "the copy itself must keep every contract"
    path = copy_of_the_tree / "congvu" / module
    path.write_text(path.read_text() + f"\n{line}  # noqa\n")
    done = _lint(copy_of_the_tree)
    assert done.returncode == 1
    assert f"{contract}" in done.stdout and "BROKEN" in done.stdout


def _app_of(path: Path) -> str:
    return path.relative_to(ROOT / "congvu").parts[0]


def test_no_app_imports_another_apps_private_helpers():
    found = []
    for path in (ROOT / "congvu").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(
                "congvu."
            ):
                continue
            target_app = node.module.split(".")[1]
            if target_app == _app_of(path):
                continue
            private = [a.name for a in node.names if a.name.startswith("_")]
            private += (
                [node.module] if any(p.startswith("_") for p in node.module.split(".")) else []
            )
            if private:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.module} {private}")
    assert not found, "private helpers imported across apps:\n" + "\n".join(found)
