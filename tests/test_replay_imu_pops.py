"""``replay`` and ``record`` of a worn IMU with sound and no force sensor: each pop near an IMU's
thrust is counted for it, in replay's table and summary and in the summary a recording stores,
and the two agree. Every pop was counted as outside any thrust, with the warning '6 pops heard,
none near a thrust: is the audio aligned with the force?'.

The recording: ``gradecoach simulate --grade V --imu 500 --audio 16000 --seed 2`` (three thrusts
with ``--sets 3``; the room microphone hears three pops near each, those of the second 0.4 s after
speech stops).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile as sf

from firmware_bridge.session import SessionMeta, SessionWriter
from ui.cli import main
from tests._cli_in_process import gc_here

ROOT = Path(__file__).resolve().parents[1]


def simulated(tmp_path: Path, sets: int) -> Path:
    out = tmp_path / "v.csv"
    assert main(["simulate", "--grade", "V", "--sets", str(sets), "--imu", "500", "--audio", "16000",
                 "--seed", "2", "-o", str(out)]) == 0
    return out


def summary_of(lines: str) -> dict:
    return next(d for d in map(json.loads, lines.splitlines()) if d["type"] == "summary")


def test_replay_counts_the_pops_of_an_imu_s_thrusts(tmp_path, capsys):
    v = simulated(tmp_path, sets=3)
    capsys.readouterr()
    imu, sound = str(v.with_suffix(".imu.csv")), str(v.with_suffix(".flac"))
    assert main(["replay", imu, "--audio", sound, "--format", "table"]) == 0
    out, err = capsys.readouterr()
    rows = [line for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert [r.split()[0] for r in rows] == ["1", "2", "3"]
    k = next(line for line in out.splitlines() if line.split()[:1] == ["thrust"]).index("  pops") + 2
    assert [" ".join(r[k:].split()[:2]) for r in rows] == ["3 pops,", "3 pops,", "3 pops,"]
    assert "none near a thrust" not in out + err
    assert main(["replay", imu, "--audio", sound, "--format", "jsonl"]) == 0
    s = summary_of(capsys.readouterr().out)
    assert [(t["source"], t["pops"]) for t in s["thrusts"]] == [("imu", 3), ("imu", 3), ("imu", 3)]
    assert s["n_cavitations"] == 9 and s["pops_outside_thrusts"] == []


def imu_session_with_sound(folder: Path, v: Path) -> Path:
    """A session folder of ``v``'s worn IMU and its sound (no force sensor), as a recording
    with a microphone leaves one."""
    imu = np.loadtxt(v.with_suffix(".imu.csv"), delimiter=",", skiprows=1)
    w = SessionWriter(folder, SessionMeta(trainee="anna"), imu=True, force=False)
    w.append_imu(imu[:, 0], imu[:, 1:])
    w.close(500.0)
    x, rate = sf.read(str(v.with_suffix(".flac")), dtype="float32")
    sf.write(str(folder / "audio.flac"), x, rate)
    m = json.loads((folder / "session.json").read_text())
    m["streams"]["audio"] = {"file": "audio.flac", "rate_hz": rate, "channels": 1, "t0_s": 0.0}
    (folder / "session.json").write_text(json.dumps(m))
    return folder


def test_a_recording_stores_the_pops_of_an_imu_s_thrust_as_replay_of_it_counts_them(tmp_path, capsys):
    src = imu_session_with_sound(tmp_path / "played", simulated(tmp_path, sets=1))
    rec = tmp_path / "rec"
    # (played in real time: 6.8 s)
    p = gc_here("record", "--device", f"file:{src}", "--out", rec, "--quiet", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    stored = summary_of((rec / "events.jsonl").read_text())
    pops = [d for d in map(json.loads, (rec / "events.jsonl").read_text().splitlines()) if d["type"] == "cavitation"]
    assert [d["thrust"] for d in pops] == [0, 0, 0]
    assert [(t["source"], t["pops"]) for t in stored["thrusts"]] == [("imu", 3)]
    assert stored["pops_outside_thrusts"] == []
    capsys.readouterr()
    assert main(["replay", str(rec), "--format", "jsonl"]) == 0
    replayed = summary_of(capsys.readouterr().out)
    row = lambda t: (round(t["t_peak"], 3), t["pops"], round(t["first_pop_ms_from_peak"], 1))     # noqa: E731
    assert [row(t) for t in replayed["thrusts"]] == [row(t) for t in stored["thrusts"]]
    assert replayed["pops_outside_thrusts"] == []
