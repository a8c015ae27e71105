"""The server around the pages: the one-time cookie hand-off, the calendar feed, the health
route, the hardening middleware and the shipped configuration."""

from __future__ import annotations

import asyncio
import re
import tomllib

import pytest

from tests.conftest import ROOT, user
from tracker.services import sessions
from tracker.web import handoff
from tracker.web.cookie_secret import configured_cookie_secret
from tracker.web.middleware import middleware
from tracker.web.routes import routes


def _app():
    from starlette.applications import Starlette

    return Starlette(routes=routes(), middleware=middleware())


BROWSER = "this-browsers-binding"


def get(
    path: str, query: str = "", scheme: str = "http", browser: str | None = BROWSER
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One GET through the ASGI app from a browser whose bind cookie is ``browser``: status, headers, body."""
    cookie = [(b"cookie", f"{handoff.BIND_COOKIE}={browser}".encode())] if browser else []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"127.0.0.1:8501"), *cookie],
        "server": ("127.0.0.1", 8501),
        "client": ("127.0.0.1", 40000),
    }
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(_app()(scope, receive, send))
    headers = [(k.decode().lower(), v.decode()) for k, v in sent[0]["headers"]]
    return sent[0]["status"], headers, b"".join(m.get("body", b"") for m in sent[1:])


def _cookies(headers, name: str = sessions.COOKIE_NAME):
    return [v for k, v in headers if k == "set-cookie" and v.startswith(f"{name}=")]


@pytest.fixture
def served_db(demo_db, db_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(db_path))
    return demo_db


def test_a_hand_off_sets_an_httponly_strict_signed_cookie_once(served_db):
    officer = user(served_db, "officer")
    new = sessions.start(served_db, officer)
    secret = sessions.database_secret(served_db)
    url = handoff.offer_cookie(new, secret, BROWSER)
    path, query = url.split("?")
    status, headers, body = get(path, query)
    (cookie,) = _cookies(headers)
    assert status == 200 and body.startswith(b"GIF89a")
    assert cookie.startswith(f"{sessions.COOKIE_NAME}=v1.")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert re.search(r"Max-Age=4\d{4}", cookie)  # about 12 hours
    value = cookie.split(";")[0].split("=", 1)[1]
    assert sessions.resume(served_db, secret, value)[0].username == "officer"
    assert _cookies(get(path, query)[1]) == []  # the code works once


def test_cookies_are_secure_over_https(served_db):
    new = sessions.start(served_db, user(served_db, "officer"))
    path, query = handoff.offer_cookie(new, "k" * 40, BROWSER).split("?")
    (cookie,) = _cookies(get(path, query, scheme="https")[1])
    assert "Secure" in cookie


def test_a_hand_off_opened_in_another_browser_signs_nobody_in_and_is_spent(served_db):
    new = sessions.start(served_db, user(served_db, "officer"))
    path, query = handoff.offer_cookie(new, sessions.database_secret(served_db), BROWSER).split("?")
    assert _cookies(get(path, query, browser="a-colleagues-browser")[1]) == []
    assert _cookies(get(path, query, browser=None)[1]) == []
    assert _cookies(get(path, query)[1]) == []  # spent by the replay: not even the signer gets it now


def test_every_browser_gets_its_binding_cookie_with_the_first_response(served_db):
    (bind,) = _cookies(get("/healthz", browser=None)[1], handoff.BIND_COOKIE)
    assert "HttpOnly" in bind and "SameSite=Strict" in bind and "Path=/" in bind
    assert len(bind.split(";")[0].split("=", 1)[1]) >= 24
    assert _cookies(get("/healthz")[1], handoff.BIND_COOKIE) == []  # kept once it has one


def test_an_unknown_hand_off_sets_nothing(served_db):
    status, headers, _ = get("/session/cookie", "h=made-up")
    assert status == 200 and _cookies(headers) == []


def test_clearing_removes_the_cookie(served_db):
    (cookie,) = _cookies(get("/session/clear")[1])
    assert cookie.startswith(f'{sessions.COOKIE_NAME}=""') and "Max-Age=0" in cookie


def test_the_calendar_feed_needs_a_live_personal_token(served_db):
    officer = user(served_db, "officer")
    token = sessions.new_calendar_token(served_db, officer)
    status, headers, body = get(f"/calendar/{token}.ics")
    assert status == 200 and dict(headers)["content-type"].startswith("text/calendar")
    assert body.startswith(b"BEGIN:VCALENDAR")
    sessions.revoke_calendar_token(served_db, officer)
    assert get(f"/calendar/{token}.ics")[0] == 404
    assert get("/calendar/guess.ics")[0] == 404


def test_health_runs_a_real_query(served_db):
    status, _, body = get("/healthz")
    assert status == 200 and b'"status":"ok"' in body


def test_metrics_are_blocked_and_security_headers_added(served_db):
    assert get("/_stcore/metrics")[0] == 404
    headers = dict(get("/healthz")[1])
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "SAMEORIGIN"


def test_app_py_is_an_st_app_that_streamlit_run_detects():
    from pathlib import Path

    from streamlit.web.server.app_discovery import discover_asgi_app

    assert discover_asgi_app(Path(ROOT / "app.py")).import_string == "app:app"
    assert not discover_asgi_app(Path(ROOT / "dashboard.py")).is_asgi_app


def test_shipped_config_is_safe_for_an_intranet():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["address"] == "127.0.0.1" and cfg["server"]["headless"] is True
    assert cfg["server"]["maxUploadSize"] == 50 and cfg["server"]["enableXsrfProtection"] is True
    assert cfg["server"]["allowedHosts"]
    assert cfg["client"]["showErrorDetails"] == "none" and cfg["client"]["disableDataExport"] is True
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["client"]["toolbarMode"] == "minimal"


def test_no_real_secret_is_shipped():
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text())
    assert example["cookie_secret"] == "change-me"
    assert "secrets.toml" in (ROOT / ".gitignore").read_text()
    assert configured_cookie_secret() is None or len(configured_cookie_secret() or "") >= 32
