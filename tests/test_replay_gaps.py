"""'gradecoach replay' of a session folder gives the gaps its recording marked, with their
reasons, in the table and in the JSON output alike: a 9600-baud link that dropped samples over and
over had every gap stored and none replayed (replay finds holes of 0.25 s or more only), and an
unplug replayed as a 'dropout' where the recording wrote 'disconnected'. A bare CSV has no marks
and its holes are still found. Recorded from the emulator on a real pseudo-terminal."""

from __future__ import annotations

import json
import time

import numpy as np

from analysis.scheme import GradingScheme
from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.recorder import new_meta, record
from firmware_bridge.serial_source import SerialSource
from firmware_bridge.session import SessionWriter, open_session
from ui.cli import main


def _record(tmp_path, stop, speed=1.0, **emulator):
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000, speed=speed, **emulator)
    em.start()
    src = SerialSource(str(em.link), clock=lambda: speed * time.monotonic())
    src.open()
    w = SessionWriter(tmp_path / "sess", new_meta(src, GradingScheme(40, 120)))
    try:
        record(src, w, GradingScheme(40, 120), stop=lambda: stop(em, src))
    finally:
        src.close()
        w.close()
        em.stop()
    return tmp_path / "sess"


def _gaps(events):
    return [(e["t_start"], e["t_end"], e["reason"], e["stream"]) for e in events if e["type"] == "gap"]


def _replayed(folder, tmp_path, name):
    out = tmp_path / name
    assert main(["replay", str(folder), "--format", "jsonl", "-o", str(out)]) == 0
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_a_slow_link_replays_every_gap_its_recording_marked(tmp_path, capsys):
    folder = _record(tmp_path, lambda em, src: em.sent >= 3000, baud=9600)    # 1 kHz frames do not fit 9600 baud
    ses = open_session(folder)
    stored = _gaps(ses.events)
    assert len(stored) >= 10 and {g[2] for g in stored} == {"dropped samples"}
    assert len(ses.meta.gaps) == len(stored)
    assert all(g[1] - g[0] < 0.25 for g in stored)            # each too short for the analysis to find

    assert _gaps(_replayed(folder, tmp_path, "r.jsonl")) == stored
    assert main(["replay", str(folder), "--format", "table"]) == 0
    table = capsys.readouterr().out
    assert f"  gaps: {len(stored)} (dropped samples: {len(stored)})," in table
    a, b = stored[0][:2]
    assert f"    {a:.2f}–{b:.2f} s  dropped samples" in table


def test_an_unplug_replays_as_the_one_disconnected_gap_it_was_recorded_as(tmp_path, capsys):
    state = {"away": None, "back": False, "found": None}

    def stop(em, src):
        if state["away"] is None and em.sent >= 2000:
            em.unplug()
            state["away"] = em.sent
        elif state["away"] is not None and not state["back"] and em.sent >= state["away"] + 2000:
            em.open_pty()
            state["back"] = True
        elif state["back"] and state["found"] is None and src.stats.reconnects:
            state["found"] = em.sent
        return state["found"] is not None and em.sent >= state["found"] + 2000     # 2 s of data after it

    folder = _record(tmp_path, stop, speed=2.0)
    ses = open_session(folder)
    (gap,) = [g for g in ses.meta.gaps if g["t_end"] - g["t_start"] >= 1.0]     # (not a lost frame)
    assert ses.force.t_s[-1] > gap["t_end"] + 1.0
    stored = _gaps(ses.events)
    assert (round(gap["t_start"], 6), round(gap["t_end"], 6), "disconnected", "force") in stored

    replayed = _gaps(_replayed(folder, tmp_path, "r.jsonl"))
    assert replayed == stored
    over = [g for g in replayed if g[0] <= gap["t_end"] and g[1] >= gap["t_start"]]
    assert [g[2] for g in over] == ["disconnected"]
    assert main(["replay", str(folder), "--format", "table"]) == 0
    table = capsys.readouterr().out
    assert f"    {gap['t_start']:.2f}–{gap['t_end']:.2f} s  disconnected" in table
    assert "dropout" not in table


def test_a_bare_csv_still_has_its_holes_found(tmp_path, capsys):
    t = np.concatenate([np.arange(0, 5, 0.002), np.arange(6, 10, 0.002)])      # 1 s without samples
    y = 60 + 30 * np.sin(2 * np.pi * 1.5 * t)
    p = tmp_path / "x.csv"
    p.write_text("t_s,force_n\n" + "".join(f"{a:.3f},{b:.3f}\n" for a, b in zip(t, y)))
    (gap,) = [e for e in _replayed(p, tmp_path, "r.jsonl") if e["type"] == "gap"]
    assert gap["reason"] == "dropout" and round(gap["t_start"], 3) == 4.998 and round(gap["t_end"], 3) == 6.0
    assert main(["replay", str(p), "--format", "table", "--r1", "40", "--r2", "120"]) == 0
    assert "  gaps: 1 (dropout: 1), 1.0 s without data" in capsys.readouterr().out


def test_a_reanalysis_saved_in_the_review_keeps_the_recorded_gaps(tmp_path):
    """The review's re-analysis (a new calibration, saved) runs the same replay: its events.jsonl
    keeps the gaps the recording marked, with their reasons; it lost them all."""
    from ui.review.data import analyse_events, apply_reanalysis, open_review, save_analysis
    folder = _record(tmp_path, lambda em, src: em.sent >= 2000, baud=9600)
    stored = _gaps(open_session(folder).events)
    assert stored
    rs = open_review(folder)
    apply_reanalysis(rs, analyse_events(rs, 30.0, 100.0, 0.5), 30.0, 100.0, 0.5)
    save_analysis(rs)
    ses = open_session(folder)
    assert ses.meta.r1_n == 30.0 and _gaps(ses.events) == stored


def test_one_hole_in_the_force_and_the_imu_is_one_gap_naming_both(tmp_path, capsys):
    """A hand-worn IMU beside the force sensor, both without data from 5 to 6 s (one unplug):
    each stream marks the hole, and the table read 'gaps: 2 (dropout: 2)' with the hole listed
    twice, where the report and the review count it once."""
    t = np.concatenate([np.arange(0, 5, 0.002), np.arange(6, 10, 0.002)])
    p = tmp_path / "x.csv"
    p.write_text("t_s,force_n\n" + "".join(f"{a:.3f},{60 + 30 * np.sin(2 * np.pi * 1.5 * a):.3f}\n" for a in t))
    (tmp_path / "x.imu.csv").write_text(
        "t_s,ax_mps2,ay_mps2,az_mps2,gx_rads,gy_rads,gz_rads\n"
        + "".join(f"{a:.3f},{0.5 * np.sin(2 * np.pi * 1.5 * a):.4f},0,9.81,0,0,0\n" for a in t))
    marks = [g for g in _replayed(p, tmp_path, "r.jsonl") if g["type"] == "gap"]
    assert sorted(g["stream"] for g in marks) == ["force", "imu"]         # each stream marks it
    assert main(["replay", str(p), "--format", "table", "--r1", "40", "--r2", "120"]) == 0
    table = capsys.readouterr().out
    assert "  gaps: 1 (dropout: 1), 1.0 s without data" in table
    listed = [x for x in table.splitlines() if x.startswith("    ") and " s  dropout" in x]
    assert listed == ["    5.00–6.00 s  dropout (force, imu)"]
