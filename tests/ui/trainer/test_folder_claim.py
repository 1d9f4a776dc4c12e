"""Each recording of the trainer gets a session folder of its own, even when two windows (or a
window and ``gradecoach record``) start one in the same second into one library folder."""

from __future__ import annotations

import json
import threading
import time

import pytest

from ui.trainer.recording import Recorder, new_session_folder

from .conftest import schemes

NOON = 1_800_000_000.0          # one clock value for every claim: the same second


def test_two_claims_in_the_same_second_get_two_new_folders(tmp_path):
    root = tmp_path / "sessions"
    first = new_session_folder(root, clock=lambda: NOON)
    second = new_session_folder(root, clock=lambda: NOON)
    assert first != second and second.name == f"{first.name}-2"
    assert first.is_dir() and second.is_dir()
    assert list(first.iterdir()) == [] and list(second.iterdir()) == []
    (first / "mine.txt").write_text("kept")
    third = new_session_folder(root, clock=lambda: NOON)        # neither is handed out again
    assert third not in (first, second) and third.is_dir()
    assert (first / "mine.txt").read_text() == "kept"


def test_a_file_with_the_stamps_name_is_passed_over(tmp_path):
    stamp = new_session_folder(tmp_path, clock=lambda: NOON).name
    (tmp_path / f"{stamp}-2").write_text("not a folder")
    assert new_session_folder(tmp_path, clock=lambda: NOON).name == f"{stamp}-3"


def test_claims_racing_in_two_threads_never_share_a_folder(tmp_path):
    rounds, got = 150, [[], []]
    start = threading.Barrier(2)

    def claim(mine: list) -> None:
        for i in range(rounds):
            start.wait()                                        # both claim the round's second at once
            mine.append(new_session_folder(tmp_path, clock=lambda: NOON + i))

    threads = [threading.Thread(target=claim, args=(g,)) for g in got]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(len(g) == rounds for g in got)
    assert len(set(got[0]) | set(got[1])) == 2 * rounds
    for i, (a, b) in enumerate(zip(*got)):                     # each second: its stamp, and the stamp's "-2"
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(NOON + i))
        assert {a.name, b.name} == {stamp, f"{stamp}-2"}

def test_a_recording_leaves_a_session_another_made_first_as_it_was(tmp_path):
    folder = tmp_path / "20261130-101500"
    folder.mkdir()
    theirs = json.dumps({"schema_version": 1, "trainee": "Anna"})
    (folder / "session.json").write_text(theirs)
    s, th = schemes()
    with pytest.raises(FileExistsError):
        Recorder(folder, s, th, trainee="Ben")
    assert (folder / "session.json").read_text() == theirs
    assert sorted(p.name for p in folder.iterdir()) == ["session.json"]
