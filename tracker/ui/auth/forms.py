"""The sign-in page, the forced password change and the signed-in user's own account panel."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from tracker.domain.enums import Role
from tracker.domain.errors import FieldError, StorageError
from tracker.domain.models import User
from tracker.services import accounts, digests, passwords, sessions
from tracker.store import Database
from tracker.ui.auth import sso, state
from tracker.ui.kit.feedback import attempt
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.text import md
from tracker.web.serving import base_path, routes_active

# ---------------------------------------------------------------- signed out


# Where an editor lands after signing in on the bare address (no deep link): the morning page.
EDITOR_LANDING = "pages/my_work.py"


def sign_in_page(db: Database, page_path: str = "dashboard.py") -> None:
    """Sign-in in place: the page's URL and query parameters survive it. Signed in on the bare
    entry address, an editor or admin lands on My work; a director keeps the Overview."""
    st.title("Policy Influence Tracker")
    state.clear_pixel()
    notice = st.session_state.pop(state.NOTICE_KEY, None)
    if notice:
        st.info(notice)
    _single_sign_on()
    if accounts.demo_accounts_exist(db):
        st.caption("Demo data: sign in as director, officer or admin with the password demo.")
    with st.form("sign_in", enter_to_submit=True):
        username = st.text_input("Username", max_chars=200, autocomplete="username")
        password = st.text_input("Password", type="password", max_chars=1000, autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            user = accounts.authenticate(db, username, password)
            state.sign_in(db, user, "password")
        except accounts.SignInRefused as exc:
            st.error(str(exc))
            return
        except StorageError as exc:
            st.error(md(str(exc)), icon=":material/block:")
            return
        if page_path == "dashboard.py" and not st.query_params and user.role.allows(Role.EDITOR):
            st.switch_page(EDITOR_LANDING)
        st.rerun()


def _single_sign_on() -> None:
    providers = sso.providers()
    if not providers:
        return
    refused = st.session_state.get(state.SSO_REFUSED_KEY)
    if refused and sso.logged_in():
        st.error(
            f"You signed in as {md(refused)}, but no active account of this app uses that e-mail. "
            "Ask an administrator to create one (or to enable yours).",
            icon=":material/no_accounts:",
        )
        if st.button("Sign out of single sign-on", key="sso_logout"):
            st.session_state.pop(state.SSO_REFUSED_KEY, None)
            sso.logout()
        return
    for provider in providers:
        if st.button(f"Sign in with {provider.label}", key=f"sso_{provider.key or 'default'}", type="primary"):
            sso.login(provider)
    st.caption("Or with a user name and password:")


# ---------------------------------------------------------------- passwords


PASSWORD_FIELDS = ("current", "new", "repeat")
AUTOCOMPLETE = {"current": "current-password", "new": "new-password", "repeat": "new-password"}
PASSWORD_LABELS = {"current": "Current password", "new": "New password", "repeat": "Repeat the new password"}


def _password_form(db: Database, user: User, *, key: str, title: str) -> bool:
    """Current + new password (twice); True once changed. A refusal stands at its field."""
    fs = FormState(key, PASSWORD_FIELDS, PASSWORD_LABELS)
    fs.ensure(None, dict.fromkeys(PASSWORD_FIELDS, ""))
    if fs.pressed("save"):
        v = fs.values()
        if v["new"] != v["repeat"]:
            fs.errors = [FieldError(PASSWORD_LABELS["repeat"], "the two entries differ.")]
        elif attempt(fs, lambda: accounts.change_own_password(db, user, v["current"], v["new"]))[0]:
            fs.clear()
            return True
    with st.form(f"{key}_form", clear_on_submit=False):
        if title:
            st.markdown(f"**{title}**")
        fs.error_summary()
        for field in PASSWORD_FIELDS:
            label = fs.label(field)
            st.text_input(label, type="password", max_chars=1000, autocomplete=AUTOCOMPLETE[field], key=fs.key(field))
            fs.field_error(field)
        st.caption(f"At least {passwords.MIN_PASSWORD_LENGTH} characters, not containing your user name.")
        st.form_submit_button("Change password", type="primary", key=fs.key("save"))
    return False


def forced_password_change(db: Database, user: User) -> None:
    """A user whose password was reset sets a new one before seeing any page."""
    st.title("Choose a new password")
    st.info(
        f"Signed in as {md(user.name)}. Your password was set by an administrator: choose your own before you "
        "continue.",
        icon=":material/key:",
    )
    if _password_form(db, user, key="forced_password_change", title=""):
        st.session_state[state.NOTICE_KEY] = "Your password is changed."
        st.rerun()


def account_panel(db: Database, user: User) -> None:
    """Shown in the sidebar when the user opens their account settings."""
    notice = st.session_state.pop("auth_account_notice", None)
    if notice:
        st.success(notice)
    if st.session_state.get(state.VIA_KEY) != "sso":
        if _password_form(db, user, key="own_password_change", title="Change your password"):
            st.session_state["auth_account_notice"] = "Your password is changed."
            st.rerun()
    _digest_choice(db, user)
    if routes_active():
        _calendar_feed(db, user)


def _digest_choice(db: Database, user: User) -> None:
    current, is_default = digests.choice_of(db, user)
    options = list(digests.CHOICE_LABELS)
    chosen = st.selectbox(
        "E-mail digest",
        options,
        index=options.index(current),
        format_func=digests.CHOICE_LABELS.__getitem__,
        key="account_digest",
        help="What changed or falls due for you, by e-mail. "
        + ("This is your role's default." if is_default else "You chose this."),
    )
    if chosen != current:
        digests.set_choice(db, user, chosen)
        st.session_state["auth_account_notice"] = f"E-mail digest: {digests.CHOICE_LABELS[chosen]}."
        st.rerun()


def _calendar_feed(db: Database, user: User) -> None:
    st.markdown("**Deadlines in your calendar**")
    fresh = st.session_state.pop("auth_new_feed", None)
    if fresh:
        st.caption("Subscribe to this address in Outlook or another calendar (shown only now):")
        st.code(fresh, language=None)
    has = sessions.has_calendar_token(db, user)
    label = "New calendar link" if has else "Create a calendar link"
    if st.button(label, key="feed_new", help="A personal address; a new one stops the old one."):
        token = sessions.new_calendar_token(db, user)
        st.session_state["auth_new_feed"] = _origin() + f"{base_path()}/calendar/{token}.ics"
        st.rerun()
    if has and st.button("Stop my calendar link", key="feed_stop"):
        sessions.revoke_calendar_token(db, user)
        st.session_state["auth_account_notice"] = "Your calendar link no longer works."
        st.rerun()


def _origin() -> str:
    try:
        parts = urlsplit(st.context.url or "")
    except Exception:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
