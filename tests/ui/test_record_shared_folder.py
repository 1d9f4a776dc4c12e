"""``gradecoach record`` into a library folder others use at the same time: two stations given
one ``--out`` at once, a comment saved while it records, and a disk that fills up under it.
Real processes where they share the folder, real files (and a real small tmpfs for the full disk, as
root)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from firmware_bridge.session import SessionMeta, SessionWriter, open_session
from tests.conftest import fill_disk, gc

ROOT = Path(__file__).resolve().parents[2]

# a `gradecoach record` that, past its check of --out and its device streaming, waits to make its
# session folder until the file named first exists: two of them then make it at the same moment
_AT_ONCE = """
import os, sys, time
import ui.cli, ui.cmd_record
writer = ui.cmd_record.SessionWriter
def at_once(*args, **kw):
    open(sys.argv[2], "w").close()
    while not os.path.exists(sys.argv[1]):
        time.sleep(0.001)
    return writer(*args, **kw)
ui.cmd_record.SessionWriter = at_once
sys.exit(ui.cli.main(sys.argv[3:]))
"""


def _record_at_once(tmp_path: Path, *runs: list[str]) -> list[subprocess.CompletedProcess]:
    go = tmp_path / "go"
    ready = [tmp_path / f"ready{i}" for i in range(len(runs))]
    ps = [subprocess.Popen([sys.executable, "-c", _AT_ONCE, str(go), str(r), "record", *map(str, a)], cwd=ROOT, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE) for r, a in zip(ready, runs)]
    deadline = time.monotonic() + 60
    while not all(r.exists() for r in ready):
        assert time.monotonic() < deadline and all(p.poll() is None for p in ps)
        time.sleep(0.01)
    go.touch()
    told = [p.communicate(timeout=60) for p in ps]
    return [subprocess.CompletedProcess(p.args, p.returncode, *t) for p, t in zip(ps, told)]


def test_two_records_into_one_folder_at_once_one_wins_the_other_is_refused(tmp_path):
    """Both were told 'recorded' and the folder held one's session.json, the other's events
    and both forces interleaved in one force.csv."""
    out = tmp_path / "lib" / "anna-today"
    runs = [["--device", "emulator:grade3", "--out", out, "--duration", "1", "--trainee", "Anna", "--target", "III",
             "--quiet"],
            ["--device", "emulator:hvla", "--out", out, "--duration", "1", "--trainee", "Ben", "--target", "V",
             "--quiet"]]
    done = _record_at_once(tmp_path, *runs)
    won = [i for i, r in enumerate(done) if r.returncode == 0]
    assert len(won) == 1, [(r.returncode, r.stdout, r.stderr) for r in done]
    winner, loser = done[won[0]], done[1 - won[0]]
    assert winner.stdout.startswith("recorded 1001 samples") and winner.stderr == ""
    assert loser.returncode == 2 and loser.stdout == ""
    assert loser.stderr == (f"gradecoach: error: --out {out}: a session is already there (another recording "
                            f"took the folder first); choose a new folder\n")
    s = open_session(out)
    assert s.warnings == [] and s.meta.complete
    assert s.meta.trainee == ["Anna", "Ben"][won[0]] and s.meta.target == ["III", "V"][won[0]]
    assert s.meta.sensor["name"] == ["gradecoach emulator (grade3)", "gradecoach emulator (hvla)"][won[0]]
    assert len(s.force.t_s) == 1001 and np.all(np.diff(s.force.t_s) > 0)     # one recording's force
    starts = [e for e in s.events if e.get("type") == "summary"]
    assert len(starts) == 1                                                  # one recording's events
    assert sorted(p.name for p in out.iterdir()) == ["events.jsonl", "force.csv", "session.json"]


def test_a_comment_saved_while_recording_is_kept_when_the_recording_ends(tmp_path):
    """The recorder rewrote session.json on closing from what it held, and the comment an
    instructor had added from a review station meanwhile was gone."""
    from ui.review.data import add_comment, open_review

    out = tmp_path / "live"
    p = subprocess.Popen([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:grade3", "--out", str(out),
                          "--duration", "3", "--trainee", "Cara", "--target", "III", "--quiet"], cwd=ROOT, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not (out / "force.csv").exists() or (out / "force.csv").stat().st_size < 2000:
        assert p.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    rs = open_review(out)
    add_comment(rs, 0.5, "watch your elbow", "teacher")
    assert p.poll() is None                                  # saved while it still records
    out_, err = p.communicate(timeout=60)
    assert p.returncode == 0 and out_.startswith("recorded") and err == ""
    meta = json.loads((out / "session.json").read_text())
    assert meta["complete"] is True and meta["trainee"] == "Cara"
    assert meta["comments"] == [{"t_s": 0.5, "text": "watch your elbow", "author": "teacher"}]
    assert open_review(out).comments == meta["comments"]



def test_a_disk_that_fills_up_while_recording_is_one_line_and_keeps_the_recording(small_disk):
    """The disk filled: two chained tracebacks (ENOSPC on flush, again on close) and exit 1.
    (As conftest's record_until_disk_full records, in this process: 40 KiB left, a second or so.)"""
    fill_disk(small_disk, leave=40 * 1024)
    out = small_disk / "lib" / "anna"
    p = gc("record", "--device", "emulator:grade3", "--out", out, "--duration", "20", "--trainee", "Anna", "--quiet")
    assert p.returncode == 2 and p.stdout == "", (p.stdout, p.stderr)
    kept = open_session(out)
    span = kept.force.t_s[-1] - kept.force.t_s[0]
    assert 0.5 < span < 10
    assert p.stderr == f"gradecoach: error: {out}: disk full; the recording up to {span:.1f} s is kept\n"
    assert kept.meta.trainee == "Anna" and not kept.meta.complete
    assert np.all(np.diff(kept.force.t_s) > 0)
    assert not [f for f in out.iterdir() if f.name.endswith(".tmp")]


def test_a_disk_filled_by_the_sound_of_a_played_session_is_one_line_too(small_disk, tmp_path):
    """A played session's sound, recorded into audio.flac: libsndfile's 'System error.' on the
    full disk went up as a traceback, exit 1."""
    played = tmp_path / "played"
    w = SessionWriter(played, SessionMeta(trainee="Anna", r1_n=40.0, r2_n=120.0))
    t = np.arange(0, 4, 0.001)
    w.append_force(t, 80 + 30 * np.sin(2 * np.pi * 1.5 * t))
    sr = 48000
    noise = np.random.default_rng(1).normal(0, 0.05, 4 * sr).astype(np.float32)
    w.append_audio(np.arange(4 * sr) / sr, noise, sr)
    w.close(1000.0)
    fill_disk(small_disk, leave=120 * 1024)
    out = small_disk / "lib" / "again"
    p = gc("record", "--device", f"file:{played}", "--out", out, "--quiet")
    assert p.returncode == 2 and p.stdout == "", (p.stdout, p.stderr)
    kept = open_session(out)
    span = kept.force.t_s[-1] - kept.force.t_s[0]
    assert p.stderr == f"gradecoach: error: {out}: disk full; the recording up to {span:.1f} s is kept\n"
    assert 0 < span < 4 and not kept.meta.complete and (out / "audio.flac").stat().st_size > 0


def test_a_disk_filled_by_the_microphone_is_one_line_too(small_disk, tmp_path):
    """The microphone's audio.flac filled the disk: libsndfile's 'System error.' from the
    recording, then an AssertionError of soundfile's as the microphone was closed, exit 1."""
    from tests.conftest import file_microphone

    raw = tmp_path / "mic.raw"
    np.random.default_rng(2).normal(0, 3000, 5 * 48000).astype("<i2").tofile(raw)
    home = tmp_path / "home"
    home.mkdir()
    file_microphone(home, raw)
    fill_disk(small_disk, leave=120 * 1024)
    out = small_disk / "lib" / "anna"
    p = subprocess.run([sys.executable, "-m", "ui.cli", "record", "--device", "emulator:grade3", "--audio", "default",
                        "--duration", "10", "--out", str(out), "--quiet"], cwd=ROOT, capture_output=True, text=True,
                       timeout=60, env=dict(os.environ, HOME=str(home)))
    assert p.returncode == 2 and p.stdout == "", (p.stdout, p.stderr)
    assert re.fullmatch(rf"gradecoach: error: {re.escape(str(out))}: disk full; the recording up to \d+\.\d s is "
                        rf"kept\n", p.stderr), p.stderr
    assert json.loads((out / "session.json").read_text())["complete"] is False
    assert (out / "audio.flac").stat().st_size > 0
