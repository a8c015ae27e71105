"""The key that signs sign-in cookies: secrets.toml's ``cookie_secret``, else one kept in the database."""

from __future__ import annotations

import logging

from tracker.services import sessions
from tracker.store import Database

log = logging.getLogger(__name__)

_PLACEHOLDER_SECRETS = {"", "change-me", "changeme"}
_warned = False


def configured_cookie_secret() -> str | None:
    """``cookie_secret`` from .streamlit/secrets.toml, when it is a real one."""
    global _warned
    import streamlit as st

    try:
        value = st.secrets.get("cookie_secret")
    except Exception:  # no secrets file at all
        return None
    if isinstance(value, str) and value.strip() not in _PLACEHOLDER_SECRETS:
        if len(value) >= 32:
            return value
        if not _warned:
            log.warning("cookie_secret in secrets.toml is shorter than 32 characters; using the database key")
            _warned = True
    return None


def cookie_secret(db: Database) -> str:
    """The key that signs sign-in cookies: secrets.toml's, else one generated into the database."""
    return configured_cookie_secret() or sessions.database_secret(db)
