"""Uploads are not left behind (issue 14): a session's staged files go when
the session ends, when another session's upload finds it gone, and at
server start. Run in a private TMPDIR so no other process's folders count.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import time

import pytest

from etl import uploads


@pytest.fixture(autouse=True)
def private_tmp(tmp_path, monkeypatch):
    """``tempfile`` caches the temporary directory: point it at this test's."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setenv("TMPDIR", str(root))
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _staged(owner: str | None = None):
    folder = uploads.upload_folder(owner)
    uploads.stage_upload(folder, 0, "register.csv", b"inquiry_id\nK-1\n")
    return folder


def test_folders_of_ended_sessions_go_at_the_next_upload(private_tmp):
    gone = _staged("session-a")
    kept = _staged("session-b")
    assert uploads.folder_owner(gone) == "session-a"
    mine = uploads.upload_folder("session-c", live={"session-b", "session-c"})
    assert not gone.exists()
    assert kept.exists() and (kept / "000" / "register.csv").exists()
    assert mine.exists() and uploads.folder_owner(mine) == "session-c"


def test_a_folder_naming_no_session_waits_until_it_is_a_day_old(private_tmp):
    fresh = _staged(None)
    old = _staged(None)
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    removed = uploads.remove_left_behind(live=set())
    assert removed == [old]
    assert fresh.exists() and not old.exists()


def test_server_start_removes_every_upload_folder(private_tmp):
    folders = [_staged("session-a"), _staged(None)]
    unrelated = private_tmp / "not-an-upload"
    unrelated.mkdir()
    assert sorted(uploads.remove_all_uploads()) == sorted(folders)
    assert not any(f.exists() for f in folders)
    assert unrelated.exists()
    assert list(private_tmp.glob(f"{uploads.UPLOAD_PREFIX}*")) == []


def test_a_session_ending_takes_its_folder_with_it(private_tmp):
    class Session:  # stands in for Streamlit's AppSession: any object the session owns
        pass

    session = Session()
    folder = _staged("session-a")
    uploads.remove_with(session, folder)
    gc.collect()
    assert folder.exists()  # the session is alive: its uploads stay
    del session
    gc.collect()
    assert not folder.exists()


def test_the_server_launcher_clears_uploads_before_streamlit_starts(private_tmp, monkeypatch):
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    from ui import serve

    # main() sets these for the server process: restored after the test.
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.setattr(PagesManager, "uses_pages_directory", PagesManager.uses_pages_directory)

    left = _staged("old-session")
    seen = {}

    def fake_streamlit_main():  # the launcher's last step: record what it found
        seen["exists"] = left.exists()

    monkeypatch.setattr(cli, "main", fake_streamlit_main)
    serve.main(["--server.headless", "true"])
    assert seen == {"exists": False}
