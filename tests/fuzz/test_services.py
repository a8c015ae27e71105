"""Every form's service call, fed hostile values: stored as clean text or refused with field
errors — never another exception, never a changed schema, never a write without its audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.conftest import account
from tracker.domain.errors import InvalidInput
from tracker.domain.models import (
    ActivityInput,
    ConsultationInput,
    ContactInput,
    IssueInput,
    JointPositionInput,
    OrganisationInput,
    SignatoryInput,
    StageMove,
)
from tracker.services import activities, consultations, contacts, integrity, issues, joint_positions, organisations

from .conftest import schema_of
from .hostile import dirty_text, hostile, huge_text

DAY = dt.date(2026, 11, 27)
SETTINGS = settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def overrides(fields: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.lists(st.sampled_from([*fields, "not_a_field"]), min_size=1, max_size=3, unique=True)
    return keys.flatmap(lambda ks: st.fixed_dictionaries(dict.fromkeys(ks, hostile)))


# Form → (service call, a valid form, the model whose fields the form has).
FORMS: dict[str, tuple[Callable[..., Any], dict[str, Any], type]] = {
    "issue create": (issues.create, {"title": "Battery passport"}, IssueInput),
    "issue edit": (
        lambda db, actor, data: issues.update(db, actor, 1, issues.get(db, 1).version, data),
        {"title": "MDR transition deadlines"},
        IssueInput,
    ),
    "stage move": (
        lambda db, actor, data: issues.move_stage(db, actor, 2, issues.get(db, 2).version, data),
        {"to_stage": 5, "event_date": DAY, "evidence_ref": "Amendment 12"},
        StageMove,
    ),
    "activity": (
        activities.create,
        {"activity_date": DAY, "type": "Meeting", "summary": "Met the rapporteur", "issue_ids": [3]},
        ActivityInput,
    ),
    "organisation": (
        lambda db, actor, data: organisations.create(db, actor, data, confirm_similar=True),
        {"name": "Nordic MedTech Cluster 2"},
        OrganisationInput,
    ),
    "contact": (contacts.create, {"name": "Anna Keller"}, ContactInput),
    "consultation": (
        consultations.create,
        {"title": "Call for evidence", "authority": "DG SANTE", "closes": DAY},
        ConsultationInput,
    ),
    "joint position": (joint_positions.create, {"title": "Joint call on notified bodies"}, JointPositionInput),
    "signatory": (
        lambda db, actor, data: joint_positions.add_signatory(db, actor, 1, data),
        {"organisation_id": 59, "status_date": DAY},
        SignatoryInput,
    ),
}


def audit_count(db) -> int:
    return db.read("SELECT count(*) FROM audit")[0][0]


@pytest.mark.parametrize("form", sorted(FORMS))
@SETTINGS
@given(data=st.data())
def test_form_input_is_stored_or_refused_field_by_field(fuzz_db, form, data):
    call, base, model = FORMS[form]
    changes = data.draw(overrides(list(model.model_fields)))
    actor = account(fuzz_db, "officer")
    schema = schema_of(fuzz_db)
    logged = audit_count(fuzz_db)
    try:
        saved = call(fuzz_db, actor, {**base, **changes})
    except InvalidInput as exc:
        assert exc.errors and all(e.field and e.message for e in exc.errors), exc
        assert audit_count(fuzz_db) == logged, "a refused form wrote to the audit log"
    else:
        assert saved is not None
        assert audit_count(fuzz_db) >= logged + (0 if form == "issue edit" else 1)
        # What was stored is what the model made of the input (cleaned, never raw).
        sent = {**base, **changes}
        try:
            clean = model.model_validate(sent)
        except ValueError:  # the service filled in what the raw form left open (a default)
            return
        for name, value in clean.model_dump().items():
            if name in sent and isinstance(value, str) and hasattr(saved, name):
                assert (getattr(saved, name) or None) == (value or None), name  # "" is stored as nothing
    assert schema_of(fuzz_db) == schema


@SETTINGS
@given(title=st.one_of(dirty_text, huge_text), summary=st.one_of(dirty_text, huge_text))
def test_whatever_a_title_holds_the_database_stays_sound(fuzz_db, title, summary):
    actor = account(fuzz_db, "officer")
    try:
        issue = issues.create(fuzz_db, actor, {"title": title, "summary": summary})
    except InvalidInput:
        return
    stored = fuzz_db.read("SELECT title, summary FROM issues WHERE id = ?", [issue.id])[0]
    assert stored == (issue.title, issue.summary)
    assert integrity.check(fuzz_db).ok


# ---------------------------------------------------------------- defects the fuzzing found (fixed)


@pytest.mark.parametrize("value", [10**40, Decimal("1e400")])
def test_an_id_beyond_bigint_is_a_field_error(fuzz_db, value):
    with pytest.raises(InvalidInput):
        contacts.create(fuzz_db, account(fuzz_db, "officer"), {"name": "Anna Keller", "organisation_id": value})


def test_a_number_as_activity_type_is_a_field_error(fuzz_db):
    with pytest.raises(InvalidInput):
        activities.create(
            fuzz_db, account(fuzz_db, "officer"), {"activity_date": DAY, "type": 1, "summary": "Met the rapporteur"}
        )
