"""Every model accepts good values and refuses bad ones with a message naming the field."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.domain.enums import Lifecycle, Stage
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
    UserInput,
    parse,
)


def fields_of(exc: InvalidInput) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors}


def refused(model, data) -> dict[str, str]:
    with pytest.raises(InvalidInput) as info:
        parse(model, data)
    return fields_of(info.value)


def test_issue_minimal_is_valid_with_defaults():
    issue = parse(IssueInput, {"title": "MDR transition"})
    assert issue.lifecycle is Lifecycle.ACTIVE
    assert issue.target_stage is Stage.ACTIVE_INFLUENCING


def test_issue_title_required_and_bounded():
    assert refused(IssueInput, {"title": "   "}) == {"Title": "is required"}
    assert "too long" in refused(IssueInput, {"title": "x" * 10_000})["Title"]


def test_issue_refuses_javascript_url_and_names_the_field():
    errors = refused(IssueInput, {"title": "t", "reference_url": "javascript:alert(1)"})
    assert "http" in errors["Reference link"]


def test_issue_refuses_control_characters():
    assert "control" in refused(IssueInput, {"title": "bad\x00title"})["Title"]


def test_issue_keeps_html_and_emoji_as_plain_text():
    issue = parse(IssueInput, {"title": "<img src=x onerror=alert(1)> 🚀"})
    assert issue.title == "<img src=x onerror=alert(1)> 🚀"


def test_issue_unknown_enum_lists_labels():
    assert refused(IssueInput, {"title": "t", "lifecycle": "zombie"})["Lifecycle status"].startswith(
        "must be one of: Active"
    )


def test_issue_relevance_between_1_and_5():
    assert "Member relevance" in refused(IssueInput, {"title": "t", "member_relevance": 6})


def test_issue_tags_split_and_deduplicated():
    assert parse(IssueInput, {"title": "t", "tags": "MDR; smes, SMEs"}).tags == ["MDR", "smes"]


def test_unknown_field_refused():
    assert refused(IssueInput, {"title": "t", "stage": 3})


def test_stage_move_requires_valid_stage_and_date():
    assert parse(StageMove, {"to_stage": 2, "event_date": "2026-01-02"}).to_stage is Stage.POSITIONING
    errors = refused(StageMove, {"to_stage": 9, "event_date": "not a date"})
    assert set(errors) == {"New stage", "Date"}


def test_consultation_dates_in_order():
    errors = refused(
        ConsultationInput, {"title": "c", "authority": "DG SANTE", "opens": "2026-03-01", "closes": "2026-02-01"}
    )
    assert errors == {"Closes": "must be on or after the opening date"}


def test_consultation_submitted_needs_date():
    errors = refused(
        ConsultationInput, {"title": "c", "authority": "a", "closes": "2026-02-01", "response_status": "submitted"}
    )
    assert "Submitted on" in errors


def test_organisation_transparency_register_format():
    assert parse(OrganisationInput, {"name": "X", "transparency_register": "123456789012-34"})
    assert "EU Transparency Register number" in refused(
        OrganisationInput, {"name": "X", "transparency_register": "12-3"}
    )


def test_contact_email_format():
    assert "E-mail" in refused(ContactInput, {"name": "A", "email": "not-an-email"})


def test_joint_position_published_needs_date():
    assert "Published on" in refused(JointPositionInput, {"title": "J", "status": "published"})


def test_signatory_status_enum():
    assert "Signatory status" in refused(
        SignatoryInput, {"organisation_id": 1, "status": "maybe", "status_date": "2026-01-01"}
    )


@pytest.mark.parametrize("effort", [-1, 366])
def test_activity_effort_bounds(effort):
    assert "Effort (person-days)" in refused(
        ActivityInput, {"activity_date": "2026-01-01", "type": "Meeting", "summary": "s", "effort_days": effort}
    )


def test_activity_follow_up_not_before_date():
    errors = refused(
        ActivityInput, {"activity_date": "2026-01-10", "type": "Meeting", "summary": "s", "follow_up": "2026-01-01"}
    )
    assert errors == {"Follow-up date": "the follow-up cannot be before the activity date"}


def test_user_name_pattern_refuses_sql_and_long_names():
    assert "Username" in refused(UserInput, {"username": "x'; DROP TABLE users;--"})
    assert "Username" in refused(UserInput, {"username": "a" * 10_000})


def test_dates_accept_iso_and_date_objects():
    move = parse(StageMove, {"to_stage": Stage.AWARENESS, "event_date": dt.date(2026, 1, 1)})
    assert move.event_date == dt.date(2026, 1, 1)
