"""The Consultations page as an editor and as a viewer: deadlines, warnings, opening one, responses."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TODAY, open_tab
from tracker.services import demo
from tracker.store import Database

PAGE = "pages/consultations.py"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    """The demo database built once per module; each test gets its own copy (building is slow)."""
    path = tmp_path_factory.mktemp("demo") / "template.duckdb"
    db = Database.open(path, create=True)
    demo.generate(db, scale="S", seed=7, today=TODAY)
    with db.cursor() as cur:
        cur.execute("CHECKPOINT")
    db.close()
    return path


@pytest.fixture
def demo_db(demo_template, db_path) -> Iterator[Database]:
    """A fresh copy of the demo database at the path the app opens (overrides the slower shared fixture)."""
    shutil.copyfile(demo_template, db_path)
    db = Database.open(db_path)
    yield db
    db.close()


def _soonest(db) -> tuple[int, str]:
    return db.read(
        "SELECT id, title FROM consultations WHERE closes >= ? AND response_status IN ('not_started', 'drafting') "
        "ORDER BY closes, id LIMIT 1",
        [TODAY],
    )[0]


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_editor_sees_deadlines_warnings_and_entry_tabs(app_for, demo_db):
    at = app_for("officer", PAGE)
    assert not at.exception
    _, title = _soonest(demo_db)
    strong = [e.value for e in at.error if "within 3 days" in e.value]
    assert strong and title.split(" — ")[0] in strong[0]
    labels = [t.label for t in at.tabs]
    assert labels[:2] == ["Open and upcoming", "Past"]
    assert "New consultation" in labels and "Import from Have Your Say" in labels
    assert at.get("download_button")


def test_viewer_sees_the_list_without_entry_or_edit_controls(app_for):
    at = app_for("director", PAGE)
    assert not at.exception
    labels = [t.label for t in at.tabs]
    assert labels[0].startswith("Open and upcoming") and "New consultation" not in labels
    assert not any(b.label in ("Create consultation", "Save response", "Save changes") for b in at.button)


def test_period_and_status_filters_narrow_the_list(app_for, demo_db):
    at = app_for("director", PAGE)
    at.selectbox(key="cf_period").set_value("Closing in the next 14 days").run()
    at.multiselect(key="cf_status").select(
        next(o for o in at.multiselect(key="cf_status").options if str(o) == "Drafting")
    ).run()
    assert not at.exception
    expected = demo_db.read(
        "SELECT count(*) FROM consultations WHERE closes BETWEEN ? AND ? AND response_status = 'drafting'",
        [TODAY, TODAY + dt.timedelta(days=14)],
    )[0][0]
    assert expected > 0
    assert [t.label for t in at.tabs] == ["Open and upcoming", "Past"]
    assert f"{expected} open or upcoming" in " ".join(c.value for c in at.caption)
    assert len(open_tab(at, "cons_tab", "Past").dataframe) == 0  # nothing past closes in the next 14 days


def test_link_opens_one_consultation_read_only_for_viewers(app_for, demo_db):
    cid, title = _soonest(demo_db)
    at = app_for("director", PAGE, query={"consultation": str(cid)})
    assert not at.exception
    assert at.header[0].value.replace("\\", "") == title
    assert any("closes in" in e.value.lower() for e in at.error)
    assert not any(b.label in ("Save response", "Save changes") for b in at.button)


def test_editor_records_a_response(app_for, demo_db):
    cid, _ = _soonest(demo_db)
    at = app_for("officer", PAGE, query={"consultation": str(cid)})
    form_status = next(s for s in at.selectbox if s.label == "Our response")
    form_status.set_value(_status("submitted", form_status))
    next(d for d in at.date_input if d.label == "Submitted on").set_value(TODAY)
    next(t for t in at.text_input if t.label == "Feedback reference").input("F7654321")
    _button(at, "Save response").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value.replace("\\", "") for s in at.success] == ["Response saved."]
    row = demo_db.read(
        "SELECT response_status, submitted_on, feedback_reference FROM consultations WHERE id = ?", [cid]
    )
    assert row == [("submitted", TODAY, "F7654321")]
    assert not any("within 3 days" in e.value for e in at.error)


def _status(code, widget):
    return next(o for o in widget.options if str(o) == {"submitted": "Submitted"}[code])


def test_submitted_without_date_shows_the_field_error(app_for, demo_db):
    cid, _ = _soonest(demo_db)
    at = app_for("officer", PAGE, query={"consultation": str(cid)})
    form_status = next(s for s in at.selectbox if s.label == "Our response")
    form_status.set_value(_status("submitted", form_status))
    _button(at, "Save response").click().run()
    assert not at.exception
    assert any("Submitted on" in e.value for e in at.error)
    assert demo_db.read("SELECT response_status FROM consultations WHERE id = ?", [cid])[0][0] != "submitted"


def test_someone_saving_first_is_a_conflict_not_an_overwrite(app_for, demo_db):
    cid, _ = _soonest(demo_db)
    at = app_for("officer", PAGE, query={"consultation": str(cid)})
    demo_db.write(
        lambda tx: tx.execute(
            "UPDATE consultations SET feedback_reference = 'THEIRS', version = version + 1 WHERE id = ?", [cid]
        )
    )
    next(t for t in at.text_input if t.label == "Feedback reference").input("MINE")
    _button(at, "Save response").click().run()
    assert not at.exception
    assert any("was changed by" in w.value for w in at.warning)
    assert demo_db.read("SELECT feedback_reference FROM consultations WHERE id = ?", [cid]) == [("THEIRS",)]
    table = next(d.value for d in at.dataframe if "Theirs" in d.value.columns)
    assert ["Feedback reference", "THEIRS", "MINE"] in table[["Field", "Theirs", "Yours"]].values.tolist()
    assert next(t for t in at.text_input if t.label == "Feedback reference").value == "MINE"
    _button(at, "Keep mine on top of theirs").click().run()
    assert not at.exception
    assert demo_db.read("SELECT feedback_reference FROM consultations WHERE id = ?", [cid]) == [("MINE",)]


def test_editor_creates_a_consultation_linked_to_an_issue(app_for, demo_db):
    at = open_tab(app_for("officer", PAGE), "cons_tab", "New consultation")
    next(t for t in at.text_input if t.label == "Title").input("Biotech Act — public consultation")
    next(t for t in at.text_input if t.label == "Authority").input("European Commission — DG RTD")
    next(d for d in at.date_input if d.label == "Closes").set_value(TODAY + dt.timedelta(days=9))
    next(m for m in at.multiselect if m.label == "Linked issues").set_value([19])
    _button(at, "Create consultation").click().run()
    assert not at.exception, [e.value for e in at.exception]
    made = demo_db.read("SELECT id, closes FROM consultations WHERE title = 'Biotech Act — public consultation'")
    assert made and made[0][1] == TODAY + dt.timedelta(days=9)
    assert demo_db.read("SELECT issue_id FROM consultation_issues WHERE consultation_id = ?", [made[0][0]]) == [(19,)]
    assert at.query_params.get("consultation") in (str(made[0][0]), [str(made[0][0])])


def test_unknown_consultation_says_so(app_for):
    at = app_for("officer", PAGE, query={"consultation": "99999"})
    assert not at.exception
    assert any("no consultation number 99999" in w.value for w in at.warning)


def test_import_export_page_offers_the_have_your_say_import(app_for):
    editor = app_for("officer", "pages/import_export.py")
    assert not editor.exception
    assert any(s.value == "Have Your Say consultations" for s in editor.subheader)
    viewer = app_for("director", "pages/import_export.py")
    assert any("needs the Editor role" in i.value for i in viewer.info)


def test_a_long_run_of_deadlines_names_the_first_ten_and_counts_the_rest(app_for, demo_db):
    due = demo_db.read(
        "SELECT count(*) FROM consultations WHERE closes BETWEEN ? AND ? AND response_status IN ('not_started', 'drafting')",
        [TODAY, TODAY + dt.timedelta(days=3)],
    )[0][0]
    # Every consultation closing tomorrow with no response yet: more than ten for the warning to name.
    demo_db.write(
        lambda tx: tx.execute(
            "UPDATE consultations SET opens = ?, closes = ?, response_status = 'not_started', submitted_on = NULL",
            [TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=1)],
        )
    )
    n = demo_db.read(
        "SELECT count(*) FROM consultations WHERE closes = ? AND response_status IN ('not_started', 'drafting')",
        [TODAY + dt.timedelta(days=1)],
    )[0][0]
    assert n > 10 and n > due
    at = app_for("officer", PAGE)
    strong = next(e.value for e in at.error if "within 3 days" in e.value)
    assert strong.count("\n- ") == 11  # ten named, one line for the rest
    assert f"… and {n - 10:,} more in the table below" in strong
