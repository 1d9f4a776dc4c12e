"""A logger's file whose clock steps back part way, played in the trainer (``file:``), is cut
where replay cuts it: the step is a gap with its reason, and the cycles either side are those
replay gives, none across the join. The trainer passed the step over: its analysis joined the
two runs, as if the hand had gone on pressing through the half second the clock went back."""

from __future__ import annotations

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.sources import FileSource
from tests.firmware_bridge._stepped_clock import _stepped
from ui.trainer.engine import Engine

from .conftest import play_to_end, schemes


def test_a_played_files_clock_step_is_a_gap_and_a_new_run_as_replay_gives_it(tmp_path):
    path = _stepped(tmp_path)
    replayed = [e.to_dict() for e in analyze_input(load_input(path), GradingScheme(40, 120))]
    gaps = [(e["t_start"], e["t_end"], e["reason"]) for e in replayed if e["type"] == "gap"]
    assert [why for *_, why in gaps] == ["clock stepped back"]
    eng = Engine(*schemes())
    play_to_end(eng, FileSource(str(path), speed=40.0))
    assert [(g.t_start, g.t_end, g.reason) for g in eng.gaps] == gaps
    cycles = [(round(e["t_start"], 3), round(e["t_end"], 3), e["grade"]) for e in replayed if e["type"] == "cycle"]
    assert [(round(c.t_start, 3), round(c.t_end, 3), c.grade) for c in eng.cycles] == cycles


def test_a_played_imus_clock_step_is_the_imus_gap_and_a_trainer_recording_keeps_it_so(tmp_path):
    from firmware_bridge.session import open_session
    from tests.firmware_bridge._imu_clock_step import STEP, _played
    from ui.trainer.recording import Recorder

    path = _played(tmp_path)
    replayed = [e.to_dict() for e in analyze_input(load_input(path), GradingScheme(40, 120))]
    eng = Engine(*schemes())
    rec = Recorder(tmp_path / "rec", *schemes(), imu=True)
    eng.start_recording(rec)
    try:
        play_to_end(eng, FileSource(str(path), speed=40.0))
    finally:
        eng.stop_recording()
    assert [(g.t_start, g.t_end, g.reason, g.stream) for g in eng.gaps] == [STEP]
    moves = [(round(e["t_start"], 3), round(e["t_end"], 3)) for e in replayed if e["type"] == "imu_cycle"]
    assert moves and [(round(c.t_start, 3), round(c.t_end, 3)) for c in eng.imu_cycles] == moves
    kept = open_session(rec.path)
    t0 = kept.meta.extra["source_t0_s"]
    assert [(round(g["t_start"] + t0, 6), round(g["t_end"] + t0, 6), g["reason"], g.get("stream"))
            for g in kept.meta.gaps] == [STEP]
