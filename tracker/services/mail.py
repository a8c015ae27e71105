"""Sending mail with the standard library, and the settings it needs.

Settings come from the environment, else from a top-level key of the same name in
``.streamlit/secrets.toml`` (read here with tomllib: services never import streamlit):
``TRACKER_SMTP_HOST`` (no host: no sending), ``TRACKER_SMTP_PORT`` (default 587; 465 means
TLS from the first byte), ``TRACKER_SMTP_USER`` / ``TRACKER_SMTP_PASSWORD`` (sign in only when
both are set), ``TRACKER_MAIL_FROM`` and ``TRACKER_BASE_URL`` (the app's address, for links).
STARTTLS is used whenever the server offers it.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import Any, Protocol

from tracker import config
from tracker.domain.errors import InvalidInput, TrackerError

SECRETS = config.PROJECT_ROOT / ".streamlit" / "secrets.toml"
DEFAULT_BASE_URL = "http://localhost:8501"
DEFAULT_FROM = "Policy Influence Tracker <tracker@localhost>"


class MailNotConfigured(TrackerError):
    """No SMTP server is set."""


def _secrets(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def setting(name: str, default: str | None = None, *, secrets_file: Path | None = None) -> str | None:
    """``name`` from the environment, else from secrets.toml, else ``default``."""
    value = os.environ.get(name)
    if value is not None and value.strip():
        return value.strip()
    found = _secrets(secrets_file or SECRETS).get(name)
    if found is not None and str(found).strip():
        return str(found).strip()
    return default


def base_url() -> str:
    return (setting("TRACKER_BASE_URL", DEFAULT_BASE_URL) or DEFAULT_BASE_URL).rstrip("/")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    sender: str
    timeout: float = 30.0

    @classmethod
    def from_settings(cls) -> SmtpSettings:
        host = setting("TRACKER_SMTP_HOST")
        if not host:
            raise MailNotConfigured("No mail server is set: give TRACKER_SMTP_HOST (and TRACKER_SMTP_PORT).")
        raw_port = setting("TRACKER_SMTP_PORT", "587") or "587"
        try:
            port = int(raw_port)
        except ValueError:
            raise InvalidInput.one("TRACKER_SMTP_PORT", "must be a port number") from None
        if not 0 < port < 65536:
            raise InvalidInput.one("TRACKER_SMTP_PORT", "must be a port number from 1 to 65535")
        return cls(
            host=host,
            port=port,
            user=setting("TRACKER_SMTP_USER"),
            password=setting("TRACKER_SMTP_PASSWORD"),
            sender=sender(),
        )


def sender() -> str:
    return setting("TRACKER_MAIL_FROM", DEFAULT_FROM) or DEFAULT_FROM


def address(name: str, email: str) -> str:
    return formataddr((name, email))


def message(to: str, subject: str, text: str, html: str) -> EmailMessage:
    """A plain-text message with an HTML alternative, to ``to`` (an address line)."""
    msg = EmailMessage()
    msg["From"] = sender()
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain="policy-tracker")
    msg["Auto-Submitted"] = "auto-generated"  # so vacation responders stay quiet
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


class Transport(Protocol):
    """Where digests go: an SMTP server, or a folder of .eml files."""

    outcome: str

    def send(self, msg: EmailMessage, name: str) -> None: ...

    def close(self) -> None: ...


class SmtpTransport:
    """One connection per run, opened at the first message; any failure drops it, so the next
    message tries a fresh one."""

    outcome = "sent"

    def __init__(self, settings: SmtpSettings | None = None) -> None:
        self.settings = settings or SmtpSettings.from_settings()
        self._conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        conn: smtplib.SMTP
        if s.port == 465:
            conn = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            conn.ehlo()
            if conn.has_extn("starttls"):
                conn.starttls(context=context)
                conn.ehlo()
        if s.user and s.password:
            conn.login(s.user, s.password)
        return conn

    def send(self, msg: EmailMessage, name: str) -> None:
        if self._conn is None:
            self._conn = self._connect()
        try:
            self._conn.send_message(msg)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (smtplib.SMTPException, OSError):
                conn.close()


class FolderTransport:
    """Writes each message as ``<name>.eml`` in a folder (for a server without SMTP)."""

    outcome = "written"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.written: list[Path] = []

    def send(self, msg: EmailMessage, name: str) -> None:
        path = self.folder / f"{name}.eml"
        path.write_bytes(msg.as_bytes())
        self.written.append(path)

    def close(self) -> None:
        return None


def describe(exc: BaseException) -> str:
    """A failed send in one line for the record and the Admin page."""
    if isinstance(exc, ConnectionRefusedError):
        return "the mail server refused the connection"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "the mail server refused the user name or password"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "the mail server refused the recipient address"
    if isinstance(exc, (TimeoutError, smtplib.SMTPServerDisconnected)):
        return f"the mail server did not answer ({type(exc).__name__})"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]
