"""Single sign-on through ``st.login`` (OpenID Connect), when secrets.toml has an ``[auth]`` block.

The identity provider proves who the person is; the app's own account with the same e-mail
decides what they may do. An e-mail no active account uses gets no access.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import streamlit as st

log = logging.getLogger(__name__)

_PROVIDER_KEYS = ("client_id", "server_metadata_url")
_LABELS = {"microsoft": "Microsoft", "google": "Google", "okta": "Okta", "auth0": "Auth0", "keycloak": "Keycloak"}


@dataclass(frozen=True)
class Provider:
    key: str | None  # None: the unnamed provider configured directly in [auth]
    label: str


def _auth_section() -> dict[str, Any] | None:
    try:
        section = st.secrets.get("auth")
    except Exception:  # no secrets file
        return None
    return dict(section) if section else None


def providers() -> list[Provider]:
    """The identity providers configured in secrets.toml, in file order."""
    section = _auth_section()
    if not section:
        return []
    found: list[Provider] = []
    if all(k in section for k in _PROVIDER_KEYS):
        found.append(Provider(None, "single sign-on"))
    for key, value in section.items():
        if hasattr(value, "keys") and all(k in value for k in _PROVIDER_KEYS):
            found.append(Provider(key, _LABELS.get(key.lower(), key.replace("_", " ").title())))
    return found


def configured() -> bool:
    return bool(providers())


def logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # no auth configured or no script context
        return False


def identity_email() -> str | None:
    """The e-mail the identity provider vouches for (Entra ID may give only preferred_username)."""
    for claim in ("email", "preferred_username", "upn"):
        value = st.user.get(claim)
        if isinstance(value, str) and "@" in value:
            return value.strip()
    return None


def login(provider: Provider) -> None:
    if provider.key is None:
        st.login()
    else:
        st.login(provider.key)


def logout() -> None:
    try:
        st.logout()
    except Exception as exc:  # auth not configured: nothing to log out of
        log.debug("st.logout skipped: %s", type(exc).__name__)
