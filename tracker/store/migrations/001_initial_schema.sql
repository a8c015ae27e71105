-- 001: the initial schema.
CREATE SEQUENCE seq_users START 1;
CREATE TABLE users (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_users'),
    username VARCHAR NOT NULL UNIQUE,
    display_name VARCHAR,
    email VARCHAR,
    role VARCHAR NOT NULL,
    password_hash VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    disabled BOOLEAN NOT NULL DEFAULT false,
    must_change_password BOOLEAN NOT NULL DEFAULT false,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP),
    version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE seq_reference_values START 1;
CREATE TABLE reference_values (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_reference_values'),
    kind VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    deleted_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE seq_organisations START 1;
CREATE TABLE organisations (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_organisations'),
    name VARCHAR NOT NULL,
    type VARCHAR,
    country VARCHAR,
    transparency_register VARCHAR,
    is_partner BOOLEAN NOT NULL DEFAULT false,
    website VARCHAR,
    merged_into BIGINT,
    created_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP),
    updated_at TIMESTAMP,
    updated_by VARCHAR,
    deleted_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE seq_contacts START 1;
CREATE TABLE contacts (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_contacts'),
    name VARCHAR NOT NULL,
    role VARCHAR,
    institution VARCHAR,
    organisation_id BIGINT,
    email VARCHAR,
    phone VARCHAR,
    erased_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP),
    updated_at TIMESTAMP,
    updated_by VARCHAR,
    deleted_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE seq_issues START 1;
CREATE TABLE issues (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_issues'),
    title VARCHAR NOT NULL,
    summary VARCHAR,
    policy_area VARCHAR,
    level VARCHAR NOT NULL,
    policy_reference VARCHAR,
    reference_url VARCHAR,
    policy_cycle VARCHAR,
    owner VARCHAR,
    priority VARCHAR NOT NULL,
    position VARCHAR NOT NULL,
    ask VARCHAR,
    member_relevance INTEGER NOT NULL,
    member_segments VARCHAR[] NOT NULL DEFAULT [],
    why_it_matters VARCHAR,
    target_stage INTEGER NOT NULL,
    lifecycle VARCHAR NOT NULL,
    next_review DATE,
    tags VARCHAR[] NOT NULL DEFAULT [],
    created_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP),
    created_by VARCHAR,
    updated_at TIMESTAMP,
    updated_by VARCHAR,
    archived_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
);

-- The stage history. An issue's current stage is the to_stage of its latest event
-- (by event_date, then id): there is deliberately no stage column on issues.
CREATE SEQUENCE seq_stage_events START 1;
CREATE TABLE stage_events (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_stage_events'),
    issue_id BIGINT NOT NULL,
    from_stage INTEGER,
    to_stage INTEGER NOT NULL,
    event_date DATE NOT NULL,
    author VARCHAR NOT NULL,
    note VARCHAR,
    evidence_ref VARCHAR,
    evidence_url VARCHAR,
    recorded_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP)
);

CREATE SEQUENCE seq_consultations START 1;
CREATE TABLE consultations (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_consultations'),
    title VARCHAR NOT NULL,
    authority VARCHAR NOT NULL,
    policy_areas VARCHAR[] NOT NULL DEFAULT [],
    type VARCHAR NOT NULL,
    reference VARCHAR,
    url VARCHAR,
    opens DATE,
    closes DATE NOT NULL,
    response_status VARCHAR NOT NULL,
    submitted_on DATE,
    feedback_reference VARCHAR,
    joint_position_id BIGINT,
    source VARCHAR NOT NULL DEFAULT 'manual',
    total_feedback INTEGER,
    created_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP),
    updated_at TIMESTAMP,
    updated_by VARCHAR,
    deleted_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE consultation_issues (
    consultation_id BIGINT NOT NULL,
    issue_id BIGINT NOT NULL,
    PRIMARY KEY (consultation_id, issue_id)
);

CREATE SEQUENCE seq_joint_positions START 1;
CREATE TABLE joint_positions (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_joint_positions'),
    title VARCHAR NOT NULL,
    summary VARCHAR,
    status VARCHAR NOT NULL,
    lead_organisation_id BIGINT,
    consultation_id BIGINT,
    target_institution VARCHAR,
    published_on DATE,
    document_url VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP),
    updated_at TIMESTAMP,
    updated_by VARCHAR,
    deleted_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE joint_position_issues (
    joint_position_id BIGINT NOT NULL,
    issue_id BIGINT NOT NULL,
    PRIMARY KEY (joint_position_id, issue_id)
);

CREATE SEQUENCE seq_signatories START 1;
CREATE TABLE signatories (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_signatories'),
    joint_position_id BIGINT NOT NULL,
    organisation_id BIGINT NOT NULL,
    status VARCHAR NOT NULL,
    status_date DATE NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP),
    updated_at TIMESTAMP,
    updated_by VARCHAR,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE seq_activities START 1;
CREATE TABLE activities (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_activities'),
    activity_date DATE NOT NULL,
    type VARCHAR NOT NULL,
    summary VARCHAR NOT NULL,
    outcome VARCHAR,
    is_influencing BOOLEAN NOT NULL DEFAULT false,
    effort_days DECIMAL(6, 2) NOT NULL DEFAULT 0,
    funding_source VARCHAR,
    follow_up DATE,
    created_by VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP),
    updated_at TIMESTAMP,
    updated_by VARCHAR,
    deleted_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE activity_issues (activity_id BIGINT NOT NULL, issue_id BIGINT NOT NULL,
                              PRIMARY KEY (activity_id, issue_id));
CREATE TABLE activity_organisations (activity_id BIGINT NOT NULL, organisation_id BIGINT NOT NULL,
                                     PRIMARY KEY (activity_id, organisation_id));
CREATE TABLE activity_contacts (activity_id BIGINT NOT NULL, contact_id BIGINT NOT NULL,
                                PRIMARY KEY (activity_id, contact_id));

-- Who changed what, written in the same transaction as the change itself.
CREATE SEQUENCE seq_audit START 1;
CREATE TABLE audit (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_audit'),
    "at" TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP),
    actor VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    entity_id BIGINT,
    action VARCHAR NOT NULL,
    changes JSON
);

-- Signed sign-in cookies and calendar feed tokens (only hashes are stored).
CREATE TABLE sessions (
    token_hash VARCHAR PRIMARY KEY,
    username VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP),
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE TABLE calendar_tokens (
    token_hash VARCHAR PRIMARY KEY,
    username VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP),
    revoked_at TIMESTAMP
);
CREATE TABLE backups (
    path VARCHAR PRIMARY KEY,
    taken_at TIMESTAMP NOT NULL,
    taken_by VARCHAR NOT NULL,
    schema_version INTEGER NOT NULL,
    verified BOOLEAN NOT NULL,
    detail VARCHAR
);

CREATE INDEX idx_stage_events_issue ON stage_events (issue_id);
CREATE INDEX idx_audit_entity ON audit (entity, entity_id);

-- An issue's current stage, derived from its stage events (latest by date, then by
-- recording order). The only place the rule lives; every reader uses this view.
CREATE VIEW issue_stage AS
SELECT issue_id,
       arg_max(to_stage, (event_date, id)) AS stage,
       max(event_date) AS stage_since
FROM stage_events
GROUP BY issue_id;
