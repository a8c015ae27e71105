"""Every service that writes checks the caller's role again, whatever the page showed: nobody
signed in, a viewer, a disabled account (and, for the Admin page's writes, an editor) crafting a
call is refused, and nothing is written — no row changes and the data epoch does not move.

The writers are found by reading the services (tests/unit/service_writers.py), so a new writing
function is tested the day it appears; its arguments come from its signature, with the small
tables below for what a signature cannot tell. A writer this test cannot call fails it."""

from __future__ import annotations

import enum
import importlib
import inspect
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY, user
from tests.unit import service_writers
from tracker.domain import enums
from tracker.domain.errors import PermissionDenied
from tracker.domain.models import User
from tracker.store import Database

WRITERS = service_writers.writers()
BY_KEY = {w.key: w for w in WRITERS}

# Writes any signed-in, enabled account may make about itself.
SELF_SERVICE = {
    "accounts.change_own_password",
    "sessions.new_calendar_token",
    "sessions.revoke_calendar_token",
    "digests.choice.set_choice",
}
# The Admin page's services: all their writes need an admin (beside what require_role says).
ADMIN_MODULES = {"accounts", "reference", "sessions", "backup"}
# Public service functions that take a User who is not the caller being checked.
NOT_A_CALLER = {"sessions.start": "records the session of a user authenticate() has just let in"}

# Arguments a signature cannot tell, by parameter name. Ids and versions (ints) refer to demo rows.
BY_NAME: dict[str, Any] = {
    "current": "demo",
    "new": "a crafted new passphrase 42",
    "password": "correct horse battery staple",
    "value": "Crafted",
    "new_value": "Crafted",
    "owner": "officer",
    "assignee": "officer",
    "tag": "crafted",
    "table": "organisations",
    "filename": "crafted.csv",
    "disabled": True,
    "drop_id": 2,
    "data:bytes": b"Name\nCrafted organisation\n",
}
# The ``data`` dict of each module's writers (or of one writer, by its key). The refusal must come
# before any of it is read; the values are plausible so that a missing check would really write.
PAYLOADS: dict[str, dict[str, Any]] = {
    "issues": {"title": "Crafted", "member_relevance": 3, "target_stage": 3},
    "issues.writes.move_stage": {"to_stage": 5, "event_date": "2026-11-27", "note": "crafted"},
    "consultations": {"title": "Crafted", "authority": "DG X", "closes": "2026-12-31"},
    "consultations.record_response": {"response_status": "drafting"},
    "joint_positions": {"title": "Crafted"},
    "joint_positions.set_status": {"status": "agreed"},
    "joint_positions.add_signatory": {"organisation_id": 1, "status": "agreed"},
    "joint_positions.add_signatories": {"organisation_ids": [1], "status": "agreed"},
    "joint_positions.update_signatory": {"status": "agreed"},
    "organisations": {"name": "Crafted"},
    "contacts": {"name": "Crafted"},
    "activities": {"activity_date": "2026-11-27", "type": "Meeting", "summary": "Crafted"},
    "accounts": {"username": "crafted", "role": "admin"},
}


def needed_role(key: str) -> str:
    if key in SELF_SERVICE:
        return "VIEWER"
    writer = BY_KEY[key]
    if writer.checked_role == "ADMIN" or key.split(".")[0] in ADMIN_MODULES:
        return "ADMIN"
    return "EDITOR"


def argument(key: str, param: inspect.Parameter, tmp_path: Path) -> Any:
    name, annotation = param.name, str(param.annotation)
    if name == "data" and "dict" in annotation:
        for k in (key, key.split(".")[0]):
            if k in PAYLOADS:
                return dict(PAYLOADS[k])
    elif f"{name}:{annotation}" in BY_NAME:
        return BY_NAME[f"{name}:{annotation}"]
    elif name in BY_NAME:
        return BY_NAME[name]
    elif annotation == "int":
        return 1
    elif annotation == "bool":
        return False
    elif "dt.date" in annotation:
        return TODAY
    elif annotation.startswith("Iterable[tuple[int, int]]"):
        return [(1, 1)]
    elif "PathLike" in annotation or annotation.startswith("Path"):
        path = tmp_path / "crafted.csv"
        path.write_bytes(BY_NAME["data:bytes"])
        return path
    elif isinstance(kind := getattr(enums, annotation, None), type) and issubclass(kind, enum.Enum):
        return next(iter(kind))
    raise LookupError(
        f"{key}: cannot guess the argument {name}: {annotation}; add it to BY_NAME or PAYLOADS "
        "in tests/unit/test_security_roles.py"
    )


def call(key: str, db: Database, actor: User | None, tmp_path: Path) -> None:
    writer = BY_KEY[key]
    fn = getattr(importlib.import_module(writer.module), writer.name)
    params = list(inspect.signature(fn).parameters.values())
    assert [p.name for p in params[:2]] == ["db", "actor"], f"{key}: writers take (db, actor, ...)"
    args: dict[str, Any] = {}
    for p in params[2:]:
        if p.default is inspect.Parameter.empty and p.kind is not p.VAR_POSITIONAL and p.kind is not p.VAR_KEYWORD:
            args[p.name] = argument(key, p, tmp_path)
    fn(db, actor, **args)


def snapshot(db: Database) -> dict[str, tuple[Any, ...]]:
    tables = [
        r[0]
        for r in db.read(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY table_name"
        )
    ]
    return {t: db.read(f'SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM "{t}" AS t')[0] for t in tables}


def refused_callers(db: Database, role: str) -> dict[str, User | None]:
    """The callers a write needing ``role`` must refuse, as the database knows them."""
    db.write(lambda tx: tx.execute("UPDATE users SET disabled = true WHERE username IN ('k.nowak', 's.jansen')"))
    db.write(lambda tx: tx.execute("UPDATE users SET role = 'admin' WHERE username = 's.jansen'"))
    callers: dict[str, User | None] = {"signed out": None, "disabled editor": user(db, "k.nowak")}
    if role in ("EDITOR", "ADMIN"):
        callers["viewer"] = user(db, "director")
    if role == "ADMIN":
        callers["editor"] = user(db, "officer")
        callers["disabled admin"] = user(db, "s.jansen")
    return callers


@pytest.mark.parametrize("key", sorted(BY_KEY))
def test_the_write_is_refused_to_callers_without_the_role(key, demo_db, tmp_path):
    callers = refused_callers(demo_db, needed_role(key))
    before, epoch = snapshot(demo_db), demo_db.data_epoch()
    for who, actor in callers.items():
        try:
            call(key, demo_db, actor, tmp_path)
        except PermissionDenied:
            pass
        else:
            pytest.fail(f"{key} let a {who} caller through")
        assert demo_db.data_epoch() == epoch, f"{key} refused a {who} caller but committed a change"
    assert snapshot(demo_db) == before, f"{key} refused its callers but changed rows"


def test_the_writers_are_found():
    assert len(WRITERS) >= 40  # 47 when this test was written
    assert {
        "issues.writes.create",
        "issues.writes.move_stage",
        "accounts.create_user",
        "sessions.sign_out_everyone",
    } <= set(BY_KEY)
    assert "sessions.has_calendar_token" not in BY_KEY  # reads only


def test_the_tables_name_only_existing_writers():
    modules = {k.split(".")[0] for k in BY_KEY}
    stale = [k for k in [*SELF_SERVICE, *PAYLOADS] if k not in BY_KEY and k not in modules]
    assert stale == [], "remove these from the tables of test_security_roles.py"
    assert all(BY_KEY[k].checked_role in (None, "VIEWER") for k in SELF_SERVICE)


def test_every_user_parameter_is_the_checked_caller():
    """A service taking a ``User`` under another name would escape the writers' test: name it ``actor``."""
    assert service_writers.callers_not_named_actor() == sorted(NOT_A_CALLER)


def test_a_writer_is_found_through_helpers_and_the_store(tmp_path):
    services, store = tmp_path / "tracker" / "services", tmp_path / "tracker" / "store"
    services.mkdir(parents=True)
    store.mkdir()
    (store / "__init__.py").write_text("from .things import save\n")
    (store / "things.py").write_text("def save(db, x):\n    db.write(lambda tx: tx.execute('x'))\n")
    (services / "__init__.py").write_text("")
    (services / "things.py").write_text(
        "from tracker.store import save\nfrom tracker.store import things as store\n"
        "def _helper(db):\n    save(db, 1)\n"
        "def guarded(db, actor):\n    require_role(actor, Role.ADMIN)\n    _helper(db)\n"
        "def unguarded(db: Database, actor):\n    store.save(db, 2)\n"
        "def reads(db, actor):\n    return db.read('x')\n"
        "def no_caller(db):\n    save(db, 3)\n"
        "def spreadsheet(db, actor, out):\n    out.write(b'x')\n"
    )
    found = {w.key: w.checked_role for w in service_writers.writers(tmp_path)}
    assert found == {"things.guarded": "ADMIN", "things.unguarded": None}
