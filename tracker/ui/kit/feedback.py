"""One way to tell people what happened: a flash after a save, refusals at their fields, saving.

- :func:`flash` / :func:`show_flash`: a message set before a rerun and shown once after it,
  always as text (escaped), so a name like ``**x** :red[y]`` is shown as typed.
- :func:`save`: run a service call for a form; on success flash, then rerun; a refusal
  (invalid input, someone saved first, no permission, gone, storage failure) is kept on the
  form's state — the form shows it at its fields and never a traceback.
- :func:`back_to_list` and :func:`query_id`: leaving a record for its list, and reading a
  record's id from the URL (``?issue=12``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import streamlit as st
from pydantic import BaseModel

from tracker.domain.errors import EditConflict, FieldError, InvalidInput, NotFound, PermissionDenied, StorageError
from tracker.ui.kit import conflict
from tracker.ui.kit.form_state import NOT_SAVED, FormState
from tracker.ui.kit.text import md

T = TypeVar("T")
FLASH = "kit_flash"
# Errors a write may raise that a person can act on.
EXPECTED = (InvalidInput, EditConflict, PermissionDenied, NotFound, StorageError)


def flash(message: str) -> None:
    """A success message that survives the rerun after a write."""
    st.session_state[FLASH] = message


def show_flash() -> None:
    """The message set by :func:`flash`, once."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(md(message), icon=":material/check_circle:")


def attempt(
    fs: FormState,
    action: Callable[[], T],
    reread: Callable[[], Mapping[str, Any]] | None = None,
    as_widgets: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
) -> tuple[bool, T | None]:
    """Run ``action``; a refusal goes onto ``fs`` (errors or conflict). Returns (done, result)."""
    try:
        result = action()
    except EditConflict as exc:
        conflict.remember(fs, exc, reread, as_widgets)
        return False, None
    except InvalidInput as exc:
        fs.errors = exc.errors
        fs.conflict = None
        return False, None
    except (PermissionDenied, NotFound, StorageError) as exc:
        fs.errors = [FieldError(NOT_SAVED, str(exc))]
        return False, None
    fs.errors = []
    fs.conflict = None
    return True, result


def save(
    fs: FormState,
    action: Callable[[], T],
    done: str | Callable[[T], str],
    *,
    then: Callable[[T], None] | None = None,
    reread: Callable[[], Mapping[str, Any]] | None = None,
    as_widgets: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
    clear: bool = True,
) -> None:
    """Save through ``action``: on success forget the form (``clear``), flash ``done``, run
    ``then`` (e.g. open the record) and rerun. A refusal stays on ``fs`` for the form to show.

    ``reread`` gives the record's values saved now when a conflict carries none.
    """
    ok, result = attempt(fs, action, reread, as_widgets)
    if not ok:
        return
    if clear:
        fs.clear()
    saved = cast(T, result)
    flash(done if isinstance(done, str) else done(saved))
    if then is not None:
        then(saved)
    st.rerun()


def save_new(
    fs: FormState,
    defaults: Mapping[str, Any],
    create: Callable[[dict[str, Any]], T],
    done: str | Callable[[T], str],
    *,
    then: Callable[[T], None] | None = None,
) -> None:
    """A new-record form's run, before its widgets: start from ``defaults``; on "save" create it."""
    fs.ensure(None, defaults)
    if fs.pressed("save"):
        values = fs.values()
        save(fs, lambda: create(values), done, then=then)


def save_edits(
    fs: FormState,
    version: int | None,
    values: Mapping[str, Any],
    update: Callable[[int, dict[str, Any]], T],
    done: Callable[[dict[str, Any], T], str],
    *,
    whole: bool = False,
    then: Callable[[T], None] | None = None,
    reread: Callable[[], Mapping[str, Any]] | None = None,
    as_widgets: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
    show: conflict.Show | None = None,
    note: str | None = None,
) -> None:
    """An edit form's run, before its widgets: start from the record saved now (``version``,
    ``values`` as widget values), act on the conflict panel's buttons, and on "save" (or "keep
    mine") send the changed fields against the form's base version. With ``whole`` every field
    is sent, changed or not (a form that records something new, or a service that takes a whole
    record). ``done`` words the flash from the changed fields and the saved result. A refusal is
    shown above the form: the conflict panel (values through ``show``) and the error summary.
    """
    _save_edits(fs, version, values, update, done, whole, then, reread, as_widgets)
    conflict.conflict_panel(fs, show or conflict.plain, note)
    fs.error_summary()


def save_record_edits(
    fs: FormState,
    record: BaseModel,
    update: Callable[[int, dict[str, Any]], T],
    get: Callable[[], BaseModel],
    as_widgets: Callable[[Mapping[str, Any] | None], dict[str, Any]],
    done: str | Callable[[T], str],
    *,
    then: Callable[[T], None] | None = None,
    show: conflict.Show | None = None,
) -> None:
    """:func:`save_edits` for a stored record (its ``version``), sending every field: ``get``
    reads it again for a conflict, ``as_widgets`` turns stored values into widget values."""
    save_edits(
        fs,
        getattr(record, "version", None),
        as_widgets(record.model_dump()),
        update,
        lambda _, saved: done if isinstance(done, str) else done(saved),
        whole=True,
        then=then,
        reread=lambda: as_widgets(get().model_dump()),
        as_widgets=as_widgets,
        show=show,
    )


def _save_edits(
    fs: FormState,
    version: int | None,
    values: Mapping[str, Any],
    update: Callable[[int, dict[str, Any]], T],
    done: Callable[[dict[str, Any], T], str],
    whole: bool,
    then: Callable[[T], None] | None,
    reread: Callable[[], Mapping[str, Any]] | None,
    as_widgets: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None,
) -> None:
    fs.ensure(version, values)
    keep = conflict.resolve(fs, version, values)
    if not (keep or fs.pressed("save")):
        return
    changed = fs.changed()
    if not changed and not whole:
        fs.errors = []
        st.info("Nothing to save: no field was changed.")
        return
    base = fs.base_version
    sent = fs.values() if whole else changed
    save(
        fs,
        lambda: update(cast(int, base), sent),
        lambda result: done(changed, result),
        then=then,
        reread=reread,
        as_widgets=as_widgets,
    )


def back_to_list(param: str, label: str, key: str | None = None, forget: tuple[str, ...] = ()) -> None:
    """Leave a record's view for the list: drop its query parameter (the URL follows) and the
    session keys in ``forget`` (e.g. a table selection that would open the record again)."""
    if st.button(label, icon=":material/arrow_back:", type="tertiary", key=key or f"back_{param}"):
        leave(param, forget)
        st.rerun()


def leave(param: str, forget: tuple[str, ...] = ()) -> None:
    """Point the URL back at the list (the next run shows it)."""
    st.query_params.pop(param, None)
    for name in forget:
        st.session_state.pop(name, None)


def record_or_back(
    param: str, label: str, get: Callable[[], T], *, key: str | None = None, forget: tuple[str, ...] = ()
) -> T | None:
    """A record's view starts with the way back to its list, then the record (None when it is gone)."""
    back_to_list(param, label, key, forget)
    try:
        return get()
    except NotFound as exc:
        st.warning(str(exc))
        return None


def record_or_list(title: str, param: str, noun: str, show_record: Callable[[int], None]) -> bool:
    """A page's start: its title, the flash, and the record its link names (True when it showed one)."""
    st.title(title)
    show_flash()
    wanted = query_id(param)
    if isinstance(wanted, int):
        show_record(wanted)
        return True
    if isinstance(wanted, str):
        not_a_number(wanted, noun)
    return False


def query_id(name: str) -> int | str | None:
    """The id in ``?name=``: a number; the raw text when it is not a number; None when absent."""
    raw = st.query_params.get(name)
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        return str(raw)
    return value if value > 0 else str(raw)


def not_a_number(raw: str, noun: str) -> None:
    """Say that the link's id could not be read; the page shows its list instead."""
    st.warning(f"“{md(raw[:50])}” is not {noun} number; showing the list instead.")


def show_refusal(fs: FormState) -> None:
    """A refused action that has no form (a button): its message once, where it was pressed."""
    fs.error_summary()
    if fs.conflict:
        st.warning(
            md(fs.conflict.get("message", "")) + " Nothing was changed; the page now shows their version.",
            icon=":material/sync_problem:",
        )
    fs.errors = []
    fs.conflict = None


def delete_panel(
    key: str,
    explain: str,
    confirm: str,
    button: str,
    action: Callable[[], object],
    done: str,
    then: Callable[[object], None] | None = None,
) -> None:
    """A record's Delete tab: what deleting does, a box to tick, the button (enabled only once
    ticked), the delete through :func:`save`, and its refusal where the button was."""
    fs = FormState(key, ())
    st.caption(explain)
    sure = st.checkbox(confirm, key=f"{key}_sure")
    if st.button(button, disabled=not sure, key=f"{key}_go", icon=":material/delete:"):
        save(fs, action, done, then=then)
    show_refusal(fs)
