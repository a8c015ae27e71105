"""Every domain model, fed hostile values: a valid model or field-named errors, nothing else."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from tracker.domain import models
from tracker.domain.errors import InvalidInput

from .hostile import hostile

DAY = dt.date(2026, 11, 27)
STAMP = dt.datetime(2026, 11, 27, 9, 0)
STORED = {"id": 1, "version": 1}

# A valid starting point per model, so the hostile values reach the deeper rules.
BASE: dict[str, dict[str, Any]] = {
    "IssueInput": {"title": "MDR transition"},
    "Issue": {"title": "MDR transition", "stage": 0, **STORED},
    "StageMove": {"to_stage": 1, "event_date": DAY, "evidence_ref": "Briefing"},
    "StageEvent": {"id": 1, "issue_id": 1, "from_stage": None, "to_stage": 0, "event_date": DAY, "author": "officer"},
    "ConsultationInput": {"title": "Call for evidence", "authority": "DG SANTE", "closes": DAY},
    "Consultation": {"title": "Call for evidence", "authority": "DG SANTE", "closes": DAY, **STORED},
    "OrganisationInput": {"name": "Nordic MedTech Cluster"},
    "Organisation": {"name": "Nordic MedTech Cluster", **STORED},
    "ContactInput": {"name": "Anna Keller"},
    "Contact": {"name": "Anna Keller", **STORED},
    "JointPositionInput": {"title": "Joint call"},
    "JointPosition": {"title": "Joint call", **STORED},
    "SignatoryInput": {"organisation_id": 1, "status_date": DAY},
    "Signatory": {"organisation_id": 1, "status_date": DAY, "joint_position_id": 1, **STORED},
    "ActivityInput": {"activity_date": DAY, "type": "Meeting", "summary": "Met the rapporteur"},
    "Activity": {"activity_date": DAY, "type": "Meeting", "summary": "Met the rapporteur", **STORED},
    "UserInput": {"username": "anna"},
    "User": {"username": "anna", "id": 1},
    "AuditEntry": {"id": 1, "at": STAMP, "actor": "officer", "entity": "issue", "entity_id": 1, "action": "update"},
}

MODELS = sorted(
    (
        cls
        for _, cls in inspect.getmembers(models, inspect.isclass)
        if issubclass(cls, BaseModel) and cls.__module__ == models.__name__ and cls is not models.Model
    ),
    key=lambda c: c.__name__,
)


# Models that users (forms, imports) fill in, directly or as their stored form.
USER_INPUT = {
    name
    for name, cls in inspect.getmembers(models, inspect.isclass)
    if issubclass(cls, BaseModel) and any(b.__name__.endswith("Input") or b is models.StageMove for b in cls.__mro__)
}


def test_every_model_has_a_valid_base():
    """A new model needs a base here, so the fuzzing below covers it."""
    missing = [m.__name__ for m in MODELS if m.__name__ not in BASE]
    assert missing == []
    for model in MODELS:
        models.parse(model, BASE[model.__name__])


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple, set)):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_values_become_a_model_or_field_errors(model, data):
    fields = [*model.model_fields, "not_a_field"]
    keys = data.draw(st.lists(st.sampled_from(fields), max_size=3, unique=True))
    overrides = {k: data.draw(hostile) for k in keys}
    try:
        parsed = models.parse(model, {**BASE[model.__name__], **overrides})
    except InvalidInput as exc:
        assert exc.errors, "InvalidInput without a field error"
        for err in exc.errors:
            assert err.field and err.message and isinstance(err.message, str)
        return
    assert isinstance(parsed, model)
    # What a user may enter is accepted only as clean text: no control characters beyond line
    # breaks. (Stored-row models such as StageEvent describe what the database holds.)
    if model.__name__ in USER_INPUT:
        for text in _strings(parsed.model_dump()):
            assert not models._CONTROL.search(text), repr(text[:80])


@pytest.mark.parametrize("value", [False, 3, [1]])
def test_tags_of_the_wrong_type_are_field_errors(value):
    with pytest.raises(InvalidInput):
        models.parse(models.IssueInput, {"title": "MDR", "tags": value})


def test_bytes_are_cleaned_like_text():
    try:
        parsed = models.parse(models.IssueInput, {"title": b"MDR\x00"})
    except InvalidInput:
        return
    assert not models._CONTROL.search(parsed.title)


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("Issue", "created_by"),
        ("Issue", "updated_by"),
        ("Consultation", "updated_by"),
        ("Consultation", "source"),
        ("Activity", "created_by"),
    ],
)
def test_bookkeeping_text_with_a_control_character_is_refused(model, field):
    # Found by the fuzzer: these stored-row fields were plain str and kept "\x1f".
    with pytest.raises(InvalidInput):
        models.parse(getattr(models, model), {**BASE[model], field: "olivia\x1f"})
