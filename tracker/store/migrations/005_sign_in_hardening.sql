-- 005: sign-in hardening.
-- Failed sign-ins are counted per keyed hash of the lower-cased user name, for names that
-- exist and names that do not alike, so the lock cannot reveal which accounts exist and no
-- attempted name is stored in clear text.
CREATE TABLE sign_in_throttle (
    name_hash VARCHAR PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    last_failure_at TIMESTAMP NOT NULL
);

-- Secrets the server generates for itself on first use (the cookie-signing key when
-- secrets.toml has none, the key of the user-name hashes above).
CREATE TABLE server_secrets (
    name VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP)
);

ALTER TABLE users ADD COLUMN last_sign_in_at TIMESTAMP;
