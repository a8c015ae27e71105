"""The demo data is a fixed story: the same seed and today give the same rows, release after release.

The fingerprint below was taken from the demo data before it was split into builders per entity;
a change to the builders' order or to their random draws changes it. If the demo data is meant to
change, take the new fingerprint and say so in the commit.
"""

from __future__ import annotations

import hashlib

from tracker.store import Database

# Columns whose values come from the seed and today (not the wall clock or password salts).
STORY = {
    "issues": "id, title, policy_area, level, policy_cycle, owner, priority, position, member_relevance, "
    "member_segments, target_stage, lifecycle, next_review, tags, created_at, updated_at, archived_at, version",
    "stage_events": "id, issue_id, from_stage, to_stage, event_date, author, note, evidence_ref, recorded_at",
    "organisations": "id, name, type, country, transparency_register, is_partner, website",
    "contacts": "id, name, role, institution, organisation_id, email",
    "joint_positions": "id, title, status, lead_organisation_id, target_institution, published_on, created_at",
    "joint_position_issues": "joint_position_id, issue_id",
    "signatories": "id, joint_position_id, organisation_id, status, status_date",
    "consultations": "id, title, authority, type, reference, opens, closes, response_status, submitted_on, "
    "feedback_reference, joint_position_id",
    "consultation_issues": "consultation_id, issue_id",
    "activities": "id, activity_date, type, summary, outcome, is_influencing, effort_days, funding_source, "
    "follow_up, created_by",
    "activity_issues": "activity_id, issue_id",
    "activity_organisations": "activity_id, organisation_id",
    "activity_contacts": "activity_id, contact_id",
    "users": "username, display_name, email, role",
    "reference_values": "kind, value, position",
}
FINGERPRINT_S7 = "3a1141ab8038b764df09b4f53077428a6936f65d5bebfbacfb0678c6d06c25c0"


def fingerprint(db: Database) -> str:
    digest = hashlib.sha256()
    for table, columns in STORY.items():
        rows = db.read(f"SELECT {columns} FROM {table} ORDER BY ALL")
        digest.update(f"{table}:{len(rows)}:{rows!r}".encode())
    return digest.hexdigest()


def test_seed_7_at_scale_s_builds_the_same_demo_data_as_always(demo_db):
    """``demo_db`` is a copy of ``demo.generate(scale="S", seed=7, today=TODAY)``."""
    assert fingerprint(demo_db) == FINGERPRINT_S7
