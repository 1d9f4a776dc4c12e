"""A folder that is no session (no session.json, nothing recorded in it) given as the recording
is one line saying so, naming the folder and what is read instead: it was "no force.csv,
imu.csv or audio file in this session folder", as if it were a recording whose files were lost.
A session folder (session.json there) without its files keeps that line."""

from __future__ import annotations

import json

from tests.conftest import gc


def _said(folder) -> str:
    return (f"gradecoach: error: {folder}: not a session folder (no session.json in it); give a session "
            f"folder, a .csv of time and force (e.g. t_s,force_n), a BLE capture (.jsonl) or an audio file (")


def test_replay_of_a_folder_that_is_no_session(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "readme.txt").write_text("what we did today\n")
    r = gc("replay", folder)
    assert (r.returncode, r.stdout) == (2, "")
    [line] = r.stderr.splitlines()
    assert line.startswith(_said(folder)) and line.endswith(".wav/.flac/.ogg/.oga/.opus/.mp3/.aif/.aiff/.caf/.w64/.rf64)")


def test_record_played_from_a_folder_that_is_no_session(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    r = gc("record", "--device", f"file:{folder}", "--out", tmp_path / "new", "--quiet")
    assert r.returncode == 2
    [line] = r.stderr.splitlines()
    assert line.startswith(_said(folder))
    assert not (tmp_path / "new").exists()


def test_a_session_folder_without_its_files_is_still_said_so(tmp_path):
    s = tmp_path / "anna"
    s.mkdir()
    (s / "session.json").write_text(json.dumps({"complete": True}))
    r = gc("replay", s)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {s}: no force.csv, imu.csv or audio file in this "
                                     f"session folder"]


def test_screenshot_of_a_device_playing_a_folder_of_sessions(tmp_path):
    """Where no option names it first (``screenshot --device file:``, the trainer's source
    dialog), a class's folder is still named as one, with one of its sessions."""
    from tests.ui.review.conftest import make_session

    root = tmp_path / "class"
    make_session(root / "anna", trainee="anna", cycles=3)
    make_session(root / "ben", trainee="ben", cycles=3)
    r = gc("screenshot", "--device", f"file:{root}", "--at", 1, "-o", tmp_path / "shot.png")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {root}: a folder of 2 session folders, not a session; "
                                     f"give one of them (e.g. {root / 'anna'})"]
    assert not (tmp_path / "shot.png").exists()
