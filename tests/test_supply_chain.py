"""S8 (QUALITY.md): production installs from requirements.lock, every package pinned with a hash.

`pip install --require-hashes -r requirements.lock` refuses a package the lock does not pin
with a hash, so a runtime dependency added to pyproject.toml without `make lock` would break
the next production install: these tests fail first, in CI.
"""

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def runtime_requirements() -> list[Requirement]:
    return [Requirement(line) for line in project()["dependencies"]]


def locked() -> dict[str, tuple[str, int]]:
    """Package (canonical name) -> (pinned version, number of sha256 hashes)."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins: dict[str, tuple[str, int]] = {}
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = PIN.match(entry)
        if match:
            pins[canonicalize_name(match[1])] = (match[2], len(HASH.findall(entry)))
    return pins


def needed(requirements: list[Requirement]) -> set[str]:
    """The packages these requirements install here, dependencies of dependencies included
    (from the installed packages' metadata, markers evaluated for this interpreter)."""
    names: set[str] = set()
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(r, {""}) for r in requirements]
    while todo:
        req, extras = todo.pop()
        if req.marker and not any(req.marker.evaluate({"extra": e}) for e in extras):
            continue
        node = (canonicalize_name(req.name), frozenset(req.extras))
        if node in seen:
            continue
        seen.add(node)
        names.add(node[0])
        todo += [(Requirement(r), {"", *req.extras}) for r in metadata.requires(node[0]) or []]
    return names


def test_every_locked_package_is_pinned_exactly_with_a_sha256_hash():
    pins = locked()
    assert len(pins) >= len(runtime_requirements())
    assert {name: n for name, (_, n) in pins.items() if n == 0} == {}
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert not re.search(
        r"^\s*(-e|--editable|-r|--index-url|--extra-index-url|--find-links)\b", text, re.M
    )


def test_every_runtime_dependency_is_locked_at_a_version_pyproject_allows():
    pins = locked()
    for req in runtime_requirements():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements.lock: run `make lock`"
        version = pins[name][0]
        assert req.specifier.contains(version, prereleases=True), (
            f"requirements.lock pins {req.name}=={version}, pyproject.toml asks {req}: "
            "run `make lock`"
        )


def test_the_lock_holds_every_package_the_runtime_dependencies_pull_in():
    missing = needed(runtime_requirements()) - set(locked())
    assert not missing, f"not in requirements.lock: {sorted(missing)}: run `make lock`"


def test_the_lock_leaves_out_the_development_tools():
    runtime = {canonicalize_name(r.name) for r in runtime_requirements()}
    dev = {
        canonicalize_name(Requirement(r).name) for r in project()["optional-dependencies"]["dev"]
    }
    assert not (dev - runtime) & set(locked())
