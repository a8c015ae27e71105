"""A form's state: its widget values, the version and values it started from, its messages.

A form remembers the version and values it started from (its *base*). Saving sends only what
the user changed, checked against that base version, so a colleague's save in between is a
conflict, never a silent overwrite. Buttons are read from ``st.session_state`` at the top of the
run, before the widgets are drawn, so a refused save can show its messages next to the fields.
Widgets take their value from their ``key`` only (never ``value=``), so a refused save keeps
the user's input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from tracker.domain.errors import FieldError
from tracker.ui.kit.text import md


class FormState:
    """Widget values under ``<prefix>_<field>`` keys plus the base they started from.

    ``labels`` names each field as people read it (field → label); a service's
    ``FieldError.field`` is such a label (or the field's own name), which is how an error finds
    its widget. ``aliases`` adds other labels a service uses for a field (label → field).
    ``keys`` gives a field's widget a shorter key suffix than its name (field → suffix).
    """

    def __init__(
        self,
        prefix: str,
        fields: Sequence[str],
        labels: Mapping[str, str] | None = None,
        aliases: Mapping[str, str] | None = None,
        keys: Mapping[str, str] | None = None,
    ) -> None:
        self.prefix = prefix
        self._keys = dict(keys or {})
        self.fields = tuple(fields)
        self.labels = dict(labels or {})
        self._by_label = {label: name for name, label in self.labels.items()} | dict(aliases or {})

    def key(self, name: str) -> str:
        return f"{self.prefix}_{self._keys.get(name, name)}"

    def label(self, field: str) -> str:
        return self.labels.get(field, field.replace("_", " ").capitalize())

    @property
    def meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = st.session_state.setdefault(f"{self.prefix}__meta", {})
        return meta

    @property
    def base_version(self) -> int | None:
        return self.meta.get("version")

    @property
    def base(self) -> dict[str, Any]:
        return dict(self.meta.get("base") or {})

    def values(self) -> dict[str, Any]:
        return {f: st.session_state.get(self.key(f)) for f in self.fields}

    def pristine(self) -> bool:
        return self.values() == self.meta.get("base")

    def changed(self) -> dict[str, Any]:
        base = self.base
        return {f: v for f, v in self.values().items() if v != base.get(f)}

    def ensure(self, version: int | None, defaults: Mapping[str, Any]) -> None:
        """Start from ``defaults`` the first time, or follow a newer version while untouched."""
        missing = any(self.key(f) not in st.session_state for f in self.fields)
        if missing or "base" not in self.meta or (self.base_version != version and self.pristine()):
            self.load(version, defaults)

    def load(self, version: int | None, values: Mapping[str, Any]) -> None:
        for f in self.fields:
            st.session_state[self.key(f)] = values.get(f)
        self.meta.clear()
        self.meta.update(version=version, base={f: values.get(f) for f in self.fields}, errors=[], conflict=None)

    def rebase(self, version: int | None, values: Mapping[str, Any]) -> None:
        """Move onto ``version``: fields the user left alone take the saved values, their input stays."""
        base = self.base
        for f in self.fields:
            if st.session_state.get(self.key(f)) == base.get(f):
                st.session_state[self.key(f)] = values.get(f)
        self.meta.update(version=version, base={f: values.get(f) for f in self.fields}, conflict=None, errors=[])

    def clear(self) -> None:
        for f in self.fields:
            st.session_state.pop(self.key(f), None)
        st.session_state.pop(f"{self.prefix}__meta", None)

    def pressed(self, name: str) -> bool:
        """Whether the button ``name`` (keyed ``key(name)``, or drawn by :meth:`submit`) was pressed."""
        flag = f"{self.prefix}__pressed"
        if st.session_state.get(flag) == name:
            del st.session_state[flag]
            return True
        return bool(st.session_state.get(self.key(name)))

    def submit(self, label: str, name: str = "save", **options: Any) -> None:
        """A form's submit button without a key of its own (its automatic key stays what it was);
        :meth:`pressed` tells at the top of the next run that it was pressed."""
        st.form_submit_button(label, on_click=self._press, args=(name,), **options)

    def _press(self, name: str) -> None:
        st.session_state[f"{self.prefix}__pressed"] = name

    # -------------------------------------------------------------- messages

    @property
    def errors(self) -> list[FieldError]:
        return list(self.meta.get("errors") or [])

    @errors.setter
    def errors(self, value: list[FieldError]) -> None:
        self.meta["errors"] = list(value)

    @property
    def conflict(self) -> dict[str, Any] | None:
        conflict: dict[str, Any] | None = self.meta.get("conflict")
        return conflict

    @conflict.setter
    def conflict(self, value: dict[str, Any] | None) -> None:
        self.meta["conflict"] = value

    def widget(self, draw: Callable[..., Any], label: str, field: str, **options: Any) -> None:
        """Draw ``field``'s widget (e.g. ``st.text_input``) with its key, its errors right under it."""
        draw(label, key=self.key(field), **options)
        self.field_error(field)

    def records(
        self, label: str, field: str, names: Mapping[Any, str], placeholder: str, *, many: bool = False
    ) -> None:
        """A choice among records by name (``names``: id → name), one or (``many``) several."""
        options = {"options": list(names), "format_func": names.__getitem__, "placeholder": placeholder}
        if many:
            self.widget(st.multiselect, label, field, **options)
        else:
            self.widget(st.selectbox, label, field, **options)

    def field_of(self, error: FieldError) -> str | None:
        """The form field an error names, or None when it names none of them."""
        name = error.field if error.field in self.fields else self._by_label.get(error.field)
        return name if name in self.fields else None

    def field_error(self, field: str) -> None:
        """The messages for one field, right under its widget."""
        for e in self.errors:
            if self.field_of(e) == field:
                st.caption(f":red[{md(e.message)}]")

    def error_summary(self) -> None:
        """At the top of the form: what was refused (each message also stands at its field)."""
        if self.errors:
            st.error(
                "Not saved. Please check: " + "; ".join(f"{md(e.field)} — {md(e.message)}" for e in self.errors),
                icon=":material/error:",
            )
