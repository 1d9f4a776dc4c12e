"""``gradecoach record --device file:RECORDING``: a played recording is recorded as it was graded.

A session recorded with ``--min-amplitude 20`` and played as the device was recorded again with
the default minimum, so oscillations left out of the first were graded as cycles in the second
(no cycle in one, three in the other); its minimum amplitude is now kept unless ``--min-amplitude``
is given. A CSV's sound beside it (``x.flac``, as ``simulate --audio`` writes it) was left out
without a word; it is named in one line, with the command that analyses the two together."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

from analysis.scheme import GradingScheme
from firmware_bridge.session import SessionMeta, SessionWriter
from firmware_bridge.session_scheme import keep_scheme

ROOT = Path(__file__).resolve().parents[1]


def record(*args, cwd: Path = ROOT) -> subprocess.Popen:
    """``gradecoach record ARGS --quiet``, started as the command line starts it."""
    return subprocess.Popen([sys.executable, "-m", "ui.cli", "record", *map(str, args), "--quiet"], cwd=cwd,
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finished(p: subprocess.Popen) -> str:
    _, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert "Traceback" not in err
    return err


def cycles(folder: Path) -> int:
    return sum(json.loads(x)["type"] == "cycle" for x in (folder / "events.jsonl").read_text().splitlines())


def min_amplitude(folder: Path) -> float | None:
    return json.loads((folder / "session.json").read_text())["extra"].get("min_amplitude_n")


def oscillations(seconds: float) -> tuple[np.ndarray, np.ndarray]:
    """16 N peak to peak around 60 N at 2 Hz, 500 samples a second: cycles over the default
    minimum amplitude (4 N, 10 % of R1 40 N), under 20 N."""
    t = np.arange(0.0, seconds, 0.002)
    return t, 60 + 8 * np.sin(2 * np.pi * 2.0 * t)


def test_a_played_session_is_recorded_with_its_minimum_amplitude_unless_one_is_given(tmp_path):
    played = tmp_path / "anna"
    scheme = GradingScheme(40.0, 120.0).with_min_amplitude(20.0)
    w = SessionWriter(played, keep_scheme(SessionMeta(trainee="anna", r1_n=40.0, r2_n=120.0), scheme))
    w.append_force(*oscillations(2.0))
    w.close(500.0)
    again, given = tmp_path / "again", tmp_path / "given"
    runs = [record("--device", f"file:{played}", "--out", again),
            record("--device", f"file:{played}", "--out", given, "--min-amplitude", 3)]
    for p in runs:
        finished(p)
    assert min_amplitude(again) == 20.0
    assert cycles(again) == 0                       # as the played session was graded
    assert min_amplitude(given) == 3.0
    assert cycles(given) >= 2                       # the command line's wins


def test_a_csvs_sound_beside_it_is_said_not_to_be_played(tmp_path):
    t, f = oscillations(1.0)
    np.savetxt(tmp_path / "x.csv", np.column_stack([t, f]), fmt=("%.6f", "%.4f"), delimiter=",",
               header="t_s,force_n", comments="")
    sf.write(str(tmp_path / "x.flac"), np.zeros(16000, dtype="float32"), 16000)
    err = finished(record("--device", "file:x.csv", "--out", "r", "--duration", 0.5, "--r1", 40, "--r2", 120,
                          cwd=tmp_path))
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("file:x.csv: x.flac beside it is not played or recorded"), err
    assert lines[0].endswith("gradecoach replay x.csv --audio x.flac"), err
    assert not (tmp_path / "r" / "audio.flac").exists()
