-- 010: My work (follow-up assignee and done) and e-mail digests.
-- A follow-up's assignee is an editor's user name. NULL reads as the activity's author (so rows
-- written by code that does not know the column yet still have one); existing rows are filled.
ALTER TABLE activities ADD COLUMN assignee VARCHAR;
ALTER TABLE activities ADD COLUMN assigned_at TIMESTAMP;
ALTER TABLE activities ADD COLUMN done_at TIMESTAMP;
ALTER TABLE activities ADD COLUMN done_by VARCHAR;
UPDATE activities SET assignee = created_by WHERE assignee IS NULL;

-- daily / weekly / none; NULL is the role's default (editors daily, viewers weekly).
ALTER TABLE users ADD COLUMN digest VARCHAR;
-- The end of the period the user's latest digest covered: the next one starts there.
ALTER TABLE users ADD COLUMN last_digest_at TIMESTAMP;

-- Every digest, recorded before it is sent. The unique key is the claim: a restart, a second
-- thread or a second process inserting the same user's period finds it taken and sends nothing.
CREATE SEQUENCE seq_digests START 1;
CREATE TABLE digests (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_digests'),
    username VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    period_start TIMESTAMP NOT NULL,
    period_end TIMESTAMP NOT NULL,
    recipient VARCHAR,
    subject VARCHAR,
    body_text VARCHAR,
    body_html VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP),
    attempted_at TIMESTAMP,
    sent_at TIMESTAMP,
    -- pending (being sent), sent, written (.eml file), failed (retried next run), empty (nothing to say)
    outcome VARCHAR NOT NULL,
    error VARCHAR,
    attempts INTEGER NOT NULL DEFAULT 0,
    UNIQUE (username, period_end)
);
