"""A session recorded with ``--min-amplitude`` keeps it: ``replay`` of the folder grades it as it
was graded while it was recorded, not with the default minimum; a command-line value still wins."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ui.cli import main

ROOT = Path(__file__).resolve().parents[1]
CAL = ["--r1", "40", "--r2", "120"]


def cli(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ui.cli", *map(str, args)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def replay(capsys, folder: Path, *flags) -> tuple[list[dict], str]:
    """``gradecoach replay FOLDER --format jsonl FLAGS``, run as the command line runs it."""
    capsys.readouterr()
    assert main(["replay", str(folder), "--format", "jsonl", *map(str, flags)]) == 0
    out, err = capsys.readouterr()
    return [json.loads(x) for x in out.splitlines()], err


def cycles(events: list[dict]) -> int:
    return sum(e["type"] == "cycle" for e in events)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> dict[str, Path]:
    """Two sessions recorded at once from one file device: oscillations of 16 N peak to peak
    around 60 N, at 2 Hz for 2 s; one with --min-amplitude 20, one without."""
    tmp = tmp_path_factory.mktemp("min_amp")
    t = np.arange(0.0, 2.0, 0.002)
    csv = tmp / "small.csv"
    np.savetxt(csv, np.column_stack([t, 60 + 8 * np.sin(2 * np.pi * 2.0 * t)]), fmt=("%.6f", "%.4f"),
               delimiter=",", header="t_s,force_n", comments="")
    out = {"with": tmp / "with", "without": tmp / "without"}
    runs = [cli("record", "--device", f"file:{csv}", "--out", out["with"], *CAL, "--min-amplitude", 20, "--quiet"),
            cli("record", "--device", f"file:{csv}", "--out", out["without"], *CAL, "--quiet")]
    for p in runs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    return out


def test_replay_grades_a_session_with_the_minimum_amplitude_it_was_recorded_with(recorded, capsys):
    meta = json.loads((recorded["with"] / "session.json").read_text())
    assert meta["extra"]["min_amplitude_n"] == 20
    assert "min_amplitude_n" not in json.loads((recorded["without"] / "session.json").read_text())["extra"]
    with_, _ = replay(capsys, recorded["with"])
    without, _ = replay(capsys, recorded["without"])
    assert cycles(without) >= 2                     # over the default minimum (4 N: 10 % of R1)
    assert cycles(with_) == 0                       # under the recorded 20 N, as while recording
    stored = [json.loads(x) for x in (recorded["with"] / "events.jsonl").read_text().splitlines()]
    assert cycles(stored) == 0


def test_a_minimum_amplitude_given_on_the_command_line_wins(recorded, capsys):
    given, _ = replay(capsys, recorded["with"], "--min-amplitude", 3)
    assert cycles(given) == cycles(replay(capsys, recorded["without"])[0]) >= 2


def test_a_stored_minimum_amplitude_that_is_not_a_force_is_said_and_the_default_used(recorded, tmp_path, capsys):
    folder = tmp_path / "edited"
    folder.mkdir()
    for f in recorded["with"].iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    meta = json.loads((folder / "session.json").read_text())
    meta["extra"]["min_amplitude_n"] = "lots"
    (folder / "session.json").write_text(json.dumps(meta))
    events, err = replay(capsys, folder)
    assert cycles(events) >= 2
    said = [x for x in err.splitlines() if "min_amplitude_n" in x]
    assert len(said) == 1 and "session.json" in said[0] and "'lots'" in said[0], err
    assert "Traceback" not in err


def test_the_library_and_report_analysing_a_session_again_keep_its_minimum_amplitude(recorded, tmp_path):
    from ui.library import session_events
    from ui.report import load_item

    folder = tmp_path / "no-events"                 # (no events.jsonl: the library analyses the data again)
    folder.mkdir()
    for f in recorded["with"].iterdir():
        if f.name != "events.jsonl":
            (folder / f.name).write_bytes(f.read_bytes())
    events, source, _ = session_events(folder)
    assert source == "analysis" and cycles(events) == 0
    item = load_item(recorded["with"], r1=40.0, r2=120.0)     # a flag given: analysed again
    assert item.source == "analysis" and cycles(item.events) == 0
    assert cycles(load_item(recorded["without"], r1=40.0, r2=120.0).events) >= 2
