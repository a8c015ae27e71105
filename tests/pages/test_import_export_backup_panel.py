"""The Backups tab of the Admin page: back up now, see the verified backup listed."""

from __future__ import annotations


def test_admin_backs_up_now_and_sees_it_verified(app_for, monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_BACKUP_DIR", str(tmp_path / "backups"))
    at = app_for("admin", "pages/admin.py")
    assert not at.exception
    [button] = [b for b in at.button if b.label == "Back up now"]
    at = button.click().run()
    assert not at.exception
    assert any("verified" in s.value for s in at.success)
    listed = [d.value for d in at.dataframe if "Verified" in d.value.columns]
    assert listed and listed[0]["Verified"].tolist() == [True] and listed[0]["By"].tolist() == ["admin"]
    assert len(list((tmp_path / "backups").iterdir())) == 1
