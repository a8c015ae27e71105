"""The Admin page's forms: the kit's form state, with the record's id at the end of each widget key.

The Admin page's widget keys have always ended with the record they belong to (``adm_role_12``,
``adm_ref_delete_7``); scripts and tests find the widgets by them, so they stay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tracker.ui.kit.form_state import FormState


class RecordForm(FormState):
    """A :class:`FormState` for one record whose keys read ``<head>_<field>_<record>``.

    ``state`` names where the form keeps its base and messages (default ``<head>_<record>``):
    two forms on one record — its fields and its action buttons — keep theirs apart.
    """

    def __init__(
        self,
        head: str,
        record: object,
        fields: Sequence[str],
        labels: Mapping[str, str] | None = None,
        aliases: Mapping[str, str] | None = None,
        state: str | None = None,
    ) -> None:
        super().__init__(state or f"{head}_{record}", fields, labels, aliases)
        self.head = head
        self.record = record

    def key(self, name: str) -> str:
        return f"{self.head}_{name}_{self.record}"
