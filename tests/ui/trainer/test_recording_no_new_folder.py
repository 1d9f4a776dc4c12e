"""A new calibration or target while recording goes on into a new folder; when no new folder can
be had, the recording goes on in its own folder with the calibration and target it began with,
its events graded with them as its session.json says (so the review and ``gradecoach replay`` of
it give the grades it holds), while the screen grades with the new ones. One line says so:
where the recording goes on, with which settings, why there is no new folder, and what to do.
It said only why there was no new folder ('Cannot record: ... try again in a moment'), as if
nothing were recorded any more."""

from __future__ import annotations

import json
import subprocess

import pytest

from firmware_bridge.session import open_session
from ui.cli import main
from ui.trainer.profiles import Calibration
from ui.trainer.target import Target

from .conftest import recording_window
from ._folder_taken import taken_as_made

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _cycles(events, t0: float = 0.0) -> list[tuple[float, str]]:
    return [(round(e["t_start"] + t0, 2), e["grade"] + (e["modifier"] or "")) for e in events
            if e["type"] == "cycle"]


def test_a_new_calibration_with_no_folder_for_it_leaves_the_recording_as_it_began(qtbot, monkeypatch, tmp_path):
    win, eng, feed, problems = recording_window(qtbot, monkeypatch, tmp_path / "rec", "III")
    qtbot.waitExposed(win)
    feed.until(5.0)
    first = win.start_recording()
    feed.until(20.0)
    others = taken_as_made(monkeypatch, times=1000)     # every new folder is another recording's
    win.set_calibration(Calibration("red manikin", 30.0, 100.0))
    for w in others:
        w.close(100.0)
    (msg,) = problems
    assert "\n" not in msg
    # where it goes on, with what, why there is no new folder, and what to do
    assert f"Recording goes on in {first} with its old settings (target III; R1 40 N, R2 120 N)" in msg
    assert "the screen grades with the new calibration" in msg
    assert f"No new folder could be made under {tmp_path / 'rec'}: other recordings took" in msg
    assert "Space saves this recording; to record with the new calibration, wait a moment and press Space again" in msg
    assert eng.recorder.path == first and win.rec_label.text() == f"● REC  {first.name} — old settings"
    feed.until(40.0)
    shown = [(round(c.t_start, 2), c.grade + (c.modifier or "")) for c in eng.cycles if 20.5 < c.t_start]
    assert win.stop_recording() == first
    ses = open_session(first)
    assert (ses.meta.r1_n, ses.meta.r2_n, ses.meta.target) == (40.0, 120.0, "III")
    assert ses.meta.extra["calibration"] == {"profile": "blue manikin", "r1_n": 40.0, "r2_n": 120.0}
    assert ses.meta.complete and not ses.warnings
    # what the screen showed from when is listed, apart from what the folder is graded with
    (change,) = ses.meta.extra["screen_changes"]
    assert (change["r1_n"], change["r2_n"], change["target_detail"]["text"]) == (30.0, 100.0, "III")
    assert 14.5 < change["t_s"] <= 15.1
    # the folder's grades after the change are its own calibration's, not those shown
    t0 = ses.meta.extra["source_t0_s"]
    stored = _cycles(ses.events, t0)
    after = [c for c in stored if c[0] > 20.5]
    assert after and set(after) - set(shown)
    # ... and replaying the folder with its session.json gives exactly its stored grades
    out = tmp_path / "replayed.jsonl"
    assert main(["replay", str(first), "--format", "jsonl", "-o", str(out)]) == 0
    replayed = _cycles([json.loads(line) for line in out.read_text().splitlines()], t0)
    assert replayed == stored


def test_back_to_the_recordings_own_settings_the_screen_agrees_again(qtbot, monkeypatch, tmp_path):
    """After a target that got no folder, choosing the recording's own target again needs no
    new folder: the label drops its 'old settings' and nothing more is said."""
    win, eng, feed, problems = recording_window(qtbot, monkeypatch, tmp_path / "rec", "III")
    feed.until(3.0)
    first = win.start_recording()
    feed.until(6.0)
    others = taken_as_made(monkeypatch, times=1000)
    win.set_target(Target.parse("IV-"))
    (msg,) = problems
    assert "with its old settings (target III; R1 40 N, R2 120 N); the screen grades with the new target." in msg
    assert win.rec_label.text().endswith("— old settings")
    win.set_target(Target.parse("III"))
    for w in others:
        w.close(100.0)
    assert len(problems) == 1 and eng.recorder.path == first
    assert win.rec_label.text() == f"● REC  {first.name}"
    feed.until(8.0)
    win.stop_recording()
    changes = open_session(first).meta.extra["screen_changes"]
    assert [c["target_detail"]["text"] for c in changes] == ["IV-", "III"]


def test_a_read_only_sessions_folder_leaves_the_recording_going_where_it_is(qtbot, monkeypatch, small_disk):
    """The sessions folder turned read-only while a recording goes on in a folder of its own
    that stays writable (a real read-only mount, the recording's folder mounted apart)."""
    root = small_disk / "sessions"
    win, eng, feed, problems = recording_window(qtbot, monkeypatch, root, "III")
    feed.until(3.0)
    first = win.start_recording()
    feed.until(5.0)
    # the sessions folder mounted apart, read-only, the recording's own folder in it writable (its
    # files, opened before, stay open on the disk's own mount)
    mounts = [root, first]
    for m in mounts:
        subprocess.run(["mount", "--bind", str(m), str(m)], check=True)
    try:
        r = subprocess.run(["mount", "-o", "remount,bind,ro", str(root)], capture_output=True)
        if r.returncode:
            pytest.skip(f"cannot make the sessions folder read-only here: {r.stderr.decode().strip()}")
        win.set_target(Target.parse("IV-"))
        feed.until(7.0)
        assert win.stop_recording() == first
    finally:
        for m in reversed(mounts):
            subprocess.run(["umount", str(m)], check=False)
    (msg,) = problems
    assert f"Recording goes on in {first} with its old settings (target III; R1 40 N, R2 120 N)" in msg
    assert f"No new folder could be made under {root}: it is read-only." in msg
    assert msg.endswith("to record with the new target, start the trainer with --sessions DIR "
                        "(a folder you can write to) and press Space again")
    assert sorted(p.name for p in root.iterdir()) == [first.name]
    ses = open_session(first)
    assert ses.meta.target == "III" and ses.meta.complete and not ses.warnings
    assert ses.force.t_s[-1] > 3.9                  # recorded on after the new target
    assert [c["target_detail"]["text"] for c in ses.meta.extra["screen_changes"]] == ["IV-"]


def test_a_full_disk_says_so_and_the_folder_keeps_what_the_screen_showed(qtbot, monkeypatch, small_disk):
    """The disk filled up while recording: the new target gets no folder, the line says the disk
    is full, and once there is room again the folder is saved whole, listing the change."""
    root = small_disk / "sessions"
    win, eng, feed, problems = recording_window(qtbot, monkeypatch, root, "III")
    feed.until(3.0)
    first = win.start_recording()
    feed.until(4.0)
    eng.recorder.writer.flush()
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as f:  # the rest of the disk taken
        with pytest.raises(OSError):
            while True:
                f.write(b"\0" * 4096)
    win.set_target(Target.parse("IV-"))
    (msg,) = problems
    assert f"Recording goes on in {first} with its old settings (target III; R1 40 N, R2 120 N)" in msg
    assert f"No new folder could be made under {root}: the disk is full." in msg
    assert msg.endswith("to record with the new target, free some space, or start the trainer with "
                        "--sessions DIR and press Space again")
    assert sorted(p.name for p in root.iterdir()) == [first.name]
    filler.unlink()                             # room again
    assert win.stop_recording() == first
    ses = open_session(first)
    assert ses.meta.target == "III" and ses.meta.complete
    assert [c["target_detail"]["text"] for c in ses.meta.extra["screen_changes"]] == ["IV-"]
