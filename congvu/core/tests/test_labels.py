"""The pure modules' labels: every one extracted for translation, shown in the page's language,
and left Vietnamese in the pure modules themselves (decision 62 in docs/decisions.md)."""

import importlib
import importlib.util
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import translation

from congvu.core.labels import REGISTERED, translated
from congvu.evaluations import workflow
from congvu.evaluations.models import Evaluation
from congvu.feedback.models import Report

# Label dicts of the pure modules that no page shows, each with where it is used instead.
NOT_SHOWN = {
    "congvu.core.dated.CONFIDENCE": "the settings page of the admin, written in Vietnamese",
    "congvu.organisations.rules.CIVIL_SERVICE_CATEGORIES": "pages show StaffCategory's labels",
    "congvu.evaluations.rules.GENERAL": "the input codes of `congvu classify`",
    "congvu.evaluations.regimes.FLAG_NAMES": "the input codes of `congvu classify`",
    "congvu.evaluations.workflow.ROLE_NAMES": "the Vietnamese refusal sentences of workflow.py",
    "congvu.discipline.rules.NO_LIMITATION": "the reasons of `congvu discipline-check`",
}


def _labels_modules() -> None:
    """Import every app's ``labels.py``: each registers the dicts it covers."""
    for config in apps.get_app_configs():
        name = f"{config.name}.labels"
        if config.name.startswith("congvu.") and importlib.util.find_spec(name):
            importlib.import_module(name)


def _pure_label_dicts() -> dict[str, dict]:
    """Public dicts of Vietnamese texts in the modules of the "rules modules are pure" contract."""
    pyproject = tomllib.loads((Path(settings.PROJECT_DIR) / "pyproject.toml").read_text())
    [contract] = [
        c
        for c in pyproject["tool"]["importlinter"]["contracts"]
        if c["name"].startswith("rules modules are pure")
    ]
    found = {}
    for module_name in contract["source_modules"]:
        for name, value in vars(importlib.import_module(module_name)).items():
            if name.startswith("_") or not isinstance(value, dict) or not value:
                continue
            texts = list(value.values())
            if all(isinstance(t, str) for t in texts) and any(not t.isascii() for t in texts):
                found[f"{module_name}.{name}"] = value
    return found


def test_every_label_of_a_registered_dict_is_a_literal_for_makemessages():
    _labels_modules()
    assert len(REGISTERED) >= 10
    for mapping, literals in REGISTERED:
        missing = [label for label in mapping.values() if label not in literals]
        assert not missing, f"add gettext_noop literals to the app's labels.py: {missing}"


def test_every_label_dict_of_the_pure_modules_is_registered_or_known_not_shown():
    _labels_modules()
    registered = {id(mapping) for mapping, _ in REGISTERED}
    found = _pure_label_dicts()
    assert "congvu.evaluations.workflow.STATE_NAMES" in found
    unknown = [
        name
        for name, mapping in found.items()
        if id(mapping) not in registered
        and not any(mapping is found.get(other) for other in NOT_SHOWN)
    ]
    assert not unknown, f"register these in the app's labels.py (or list them here): {unknown}"


def test_translated_labels_follow_the_language_and_the_pure_dicts_stay_vietnamese():
    states = translated(workflow.STATE_NAMES)
    with translation.override("en"):
        assert str(states["published"]) == "Published"
        assert Evaluation(state="submitted").get_state_display() == (
            "Awaiting the direct manager's review"
        )
        assert Report(status="received").get_status_display() == "Received"
        assert Report(status="received").status_name == "Đã tiếp nhận"  # the API's text
        assert workflow.STATE_NAMES["published"] == "Đã công bố"
    with translation.override("vi"):
        assert str(states["published"]) == "Đã công bố"
        assert Evaluation(state="submitted").get_state_display() == (
            "Chờ người quản lý trực tiếp nhận xét"
        )
