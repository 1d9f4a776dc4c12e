"""A session folder whose force.csv (or imu.csv) holds a logger's clock stepping back part way (a
logger's CSV put in a folder as force.csv) has the step marked and said as the same file replayed
alone has it: a "clock stepped back" gap, one line naming the file and line, and the same cycles.
The folder said "500 unreadable rows skipped" instead and joined the two runs into one. A
recording that marked its step itself (``record --device file:``) has it once, and no second line."""

from __future__ import annotations

import json
import shutil

import numpy as np

from analysis.scheme import GradingScheme
from firmware_bridge.imu_sim import imu_signal, write_imu_csv
from firmware_bridge.simulator import Sim, technique
from tests.conftest import record_played
from ui.cli import main

RATE_HZ = 500.0
AT, BACK_S = 3000, 1.0          # the first row (0 = the first after the header) written 1 s early


def _stepped(tmp_path):
    """12 s of force cycling between about 15 and 80 N at 500 Hz, its times from row AT on 1 s early."""
    t = np.arange(0, 12, 1 / RATE_HZ)
    y = 47.5 - 32.5 * np.cos(2 * np.pi * 1.5 * t)
    t[AT:] -= BACK_S
    p = tmp_path / "step.csv"
    p.write_text("t_s,force_n\n" + "".join(f"{a:.6f},{b:.3f}\n" for a, b in zip(t, y)))
    return p


def _replayed(tmp_path, path, capsys) -> tuple[list[dict], list[str]]:
    """replay's events of ``path`` and its warnings, with the file named as ``FILE``."""
    out = tmp_path / "r.jsonl"
    assert main(["replay", str(path), "--format", "jsonl", "-o", str(out), "--r1", "40", "--r2", "120"]) == 0
    events = [json.loads(x) for x in out.read_text().splitlines()]
    name = str(path / "force.csv") if path.is_dir() else str(path)
    said = [w[len("gradecoach: warning: "):].replace(name, "FILE") for w in capsys.readouterr().err.splitlines()
            if w.startswith("gradecoach: warning: ")]
    return events, said


def _gaps(events):
    return [(e["t_start"], e["t_end"], e["stream"], e["reason"]) for e in events if e["type"] == "gap"]


def _cycles(events):
    return [(e["t_start"], e["t_end"], e["grade"]) for e in events if e["type"] == "cycle"]


def test_a_folders_force_csv_has_its_clock_step_marked_as_the_file_alone(tmp_path, capsys):
    p = _stepped(tmp_path)
    alone, said_alone = _replayed(tmp_path, p, capsys)
    step = [w for w in said_alone if "the logger's clock stepped back 1 s" in w]
    assert step and _gaps(alone) and _gaps(alone)[0][3] == "clock stepped back"
    folder = tmp_path / "lea-1"
    folder.mkdir()
    shutil.copy(p, folder / "force.csv")
    (folder / "session.json").write_text(json.dumps({"schema_version": 1, "trainee": "Lea", "complete": True}))
    for meta in (True, False):
        if not meta:
            (folder / "session.json").unlink()
        events, said = _replayed(tmp_path, folder, capsys)
        assert said == ([] if meta else [f"{folder / 'session.json'}: missing; using defaults"]) + step, said
        assert not [w for w in said if "unreadable rows" in w]
        assert _gaps(events) == _gaps(alone)
        assert _cycles(events) == _cycles(alone)


def test_a_recordings_own_clock_step_is_marked_once(tmp_path, capsys):
    p = _stepped(tmp_path)
    record_played(p, tmp_path / "rec")
    events, said = _replayed(tmp_path, tmp_path / "rec", capsys)
    assert len([w for w in said if "clock stepped back" in w]) == 1
    assert [g[3] for g in _gaps(events)] == ["clock stepped back"]
    # a folder whose session.json marks the step, while its force.csv still holds it (another writer's)
    shutil.copy(p, tmp_path / "rec" / "force.csv")
    events, said = _replayed(tmp_path, tmp_path / "rec", capsys)
    assert len([w for w in said if "clock stepped back" in w]) == 1, said
    assert not [w for w in said if "unreadable rows" in w]
    assert [g[3] for g in _gaps(events)] == ["clock stepped back"]


def test_a_folders_imu_csv_has_its_clock_step_marked(tmp_path, capsys):
    sim = Sim(40, 120, seed=5)
    technique("III", sim, GradingScheme(40, 120), cycles=6)
    t, v = imu_signal(sim, 100, seed=5)
    t = t.copy()
    t[400:] -= 0.5
    folder = tmp_path / "imu-1"
    folder.mkdir()
    write_imu_csv(folder / "imu.csv", t, v)
    k = 400 + int(np.count_nonzero(t[400:] <= t[399]))      # the first row after the ones skipped
    out = tmp_path / "r.jsonl"
    assert main(["replay", str(folder), "--format", "jsonl", "-o", str(out)]) == 0
    events = [json.loads(x) for x in out.read_text().splitlines()]
    err = capsys.readouterr().err
    assert _gaps(events) == [(round(float(t[399]), 6), round(float(t[k]), 6), "imu", "clock stepped back")]
    assert f"{folder / 'imu.csv'}:402: the logger's clock stepped back 0.5 s" in err
    assert "unreadable rows" not in err
