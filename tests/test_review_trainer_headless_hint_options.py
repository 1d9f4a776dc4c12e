"""Without a display, the trainer named with a sensor gives the ``record`` command that reads it
without a window; that command carries the options given to the trainer which ``record`` also
takes (who practises, what, the target, the calibration, a --profile as its R1 and R2, the
microphone), so the session it records is the one the window would have: it gave only --device
and --out, and a therapist copying it recorded an unnamed, uncalibrated session."""

from __future__ import annotations

import json
import os
import shlex

import pytest

from tests._cli_in_process import gc_in_process
from tests.conftest import ROOT


@pytest.fixture
def headless(monkeypatch):
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)


def _hint(capsys, *args) -> list[str]:
    r = gc_in_process(capsys, "trainer", *args)
    assert r.returncode == 2 and r.stdout == "", r.stderr
    return shlex.split(r.stderr.strip().split("to read it without a window: ", 1)[1])


def test_the_command_given_records_a_named_calibrated_session(headless, capsys, tmp_path):
    from firmware_bridge.emulator import PtyEmulator

    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000.0)
    em.start()
    try:
        argv = _hint(capsys, "--device", f"serial:{em.link}", "--sessions", tmp_path / "s",
                     "--r1", "30", "--r2", "95.5", "--target", "III+", "--trainee", "Anna Lee",
                     "--technique", "PA glide L4", "--alpha", "0.4", "--pop-window", "120")
        assert argv[:2] == ["gradecoach", "record"], argv
        out = argv[argv.index("--out") + 1]
        rec = gc_in_process(capsys, *argv[1:], "--duration", "1", "--quiet")
    finally:
        em.stop()
    assert rec.returncode == 0, rec.stderr
    meta = json.loads((tmp_path / "s" / out.rsplit("/", 1)[1] / "session.json").read_text())
    text = json.dumps(meta)
    assert meta["trainee"] == "Anna Lee" and meta["technique"] == "PA glide L4", text
    assert meta["target"] == "III+", text
    assert (meta["r1_n"], meta["r2_n"]) == (30, 95.5), text
    assert meta["alpha"] == 0.4, text


def test_a_profile_is_given_as_its_calibration(headless, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "gradecoach").mkdir()
    (tmp_path / "gradecoach" / "profiles.json").write_text(
        json.dumps({"profiles": {"manikin B": {"r1_n": 35.0, "r2_n": 110.0}}}))
    master, port = os.openpty()                 # (a port that is there: one that is not is said so)
    try:
        argv = _hint(capsys, "--device", f"serial:{os.ttyname(port)}", "--profile", "manikin B", "--mic", "USB Audio")
    finally:
        os.close(port)
        os.close(master)
    i = argv.index("--r1")
    assert argv[i:i + 4] == ["--r1", "35", "--r2", "110"], argv
    assert "--profile" not in argv and argv[argv.index("--mic") + 1] == "USB Audio", argv


def test_a_recording_is_replayed_with_the_calibration_given(headless, capsys):
    f = ROOT / "fixtures" / "lumbar_grade3_p.csv"
    argv = _hint(capsys, "--device", f"file:{f}", "--r1", "40", "--r2", "120", "--trainee", "Anna")
    assert argv == ["gradecoach", "replay", str(f), "--r1", "40", "--r2", "120"]
