"""The pages of the app: file, label, icon and the lowest role that opens each one."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.enums import Role


@dataclass(frozen=True)
class PageSpec:
    path: str
    label: str
    icon: str
    min_role: Role
    wide: bool = True


PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard.py", "Overview", ":material/monitoring:", Role.VIEWER),
    PageSpec("pages/my_work.py", "My work", ":material/assignment_ind:", Role.VIEWER),
    PageSpec("pages/issues.py", "Issues", ":material/flag:", Role.VIEWER),
    PageSpec("pages/consultations.py", "Consultations", ":material/event:", Role.VIEWER),
    PageSpec("pages/joint_positions.py", "Joint positions", ":material/handshake:", Role.VIEWER),
    PageSpec("pages/organisations.py", "Organisations", ":material/apartment:", Role.VIEWER),
    PageSpec("pages/activities.py", "Activities", ":material/edit_calendar:", Role.VIEWER),
    PageSpec("pages/import_export.py", "Import & export", ":material/swap_vert:", Role.VIEWER),
    PageSpec("pages/admin.py", "Admin", ":material/admin_panel_settings:", Role.ADMIN),
)

BY_LABEL = {p.label: p for p in PAGES}


def pages_for(role: Role) -> list[PageSpec]:
    return [p for p in PAGES if role.allows(p.min_role)]
