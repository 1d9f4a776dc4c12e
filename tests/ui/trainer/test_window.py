"""The real trainer window, offscreen, fed the demo recording: grade label, cycle colours,
thrust panel and feedback schedules change as the practice goes on."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from analysis.events import CycleEvent, ThrustEvent
from firmware_bridge.replay import analyze_input, iter_chunks, load_input
from ui.trainer.engine import Engine
from ui.trainer.palette import ALERT, GRADE_COLOURS
from ui.trainer.panels import HIDDEN
from ui.trainer.profiles import Calibration
from ui.trainer.target import Target
from ui.trainer.window import TrainerWindow

from .conftest import ARTIFACTS, DEMO, Feeder, schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def reference():
    """The same recording through the headless replay: what the window must agree with."""
    s, th = schemes()
    return analyze_input(load_input(DEMO), s, th)


def _window(qtbot, feedback="concurrent", target=None):
    s, th = schemes()
    eng = Engine(s, th, clock=lambda: 0.0)
    win = TrainerWindow(eng, calibration=Calibration("demo manikin", 40.0, 120.0), target=target,
                        feedback=feedback, start_timer=False)
    qtbot.addWidget(win)
    with qtbot.waitActive(win):    # window shortcuts need the active window, as on a desktop
        win.show()
        win.activateWindow()
    return win, eng


def _label(c: CycleEvent) -> str:
    return c.grade + (c.modifier or "")


def test_grade_label_and_cycle_colours_follow_the_practice(qtbot, reference):
    win, eng = _window(qtbot)
    feed = Feeder(eng, win)
    cycles = [e for e in reference if isinstance(e, CycleEvent)]
    seen = set()
    # one checkpoint just after the last cycle of every set
    for set_index in sorted({c.set_index for c in cycles}):
        last = [c for c in cycles if c.set_index == set_index][-1]
        feed.until(last.t_detect_s + 0.06)
        assert win.grade_panel.grade.text() == _label(last)
        assert win.grade_panel.values["frequency"].text() == f"{last.freq_hz:.2f} Hz"
        mid = 0.5 * (last.t_start + last.t_end)
        assert win.force_plot.colour_at(mid) == GRADE_COLOURS[last.grade]
        seen.add(_label(last))
    assert {"I", "II", "III-", "III+", "IV", "IV++"} <= seen
    # a stretch before the first cycle is drawn plain
    win.set_window_s(60)
    win.refresh()
    assert win.force_plot.colour_at(1.0) is None
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_grades.png"))


def test_thrust_panel_shows_each_thrust_and_flags_let_up(qtbot, reference):
    win, eng = _window(qtbot, target=Target.parse("V"))
    feed = Feeder(eng, win)
    thrusts = [e for e in reference if isinstance(e, ThrustEvent)]
    assert len(thrusts) == 2 and not thrusts[0].letup and thrusts[1].letup
    v = win.thrust_panel.values
    for t in thrusts:
        feed.until(t.t_detect_s + 0.06)
        assert win.grade_panel.grade.text() == "V"
        assert v["peak"].text() == f"{t.peak_n:.0f} N"
        assert v["preload"].text() == f"{t.preload_n:.0f} N"
        assert v["time to peak"].text() == f"{t.time_to_peak_ms:.0f} ms"
        assert (ALERT in v["let-up"].styleSheet()) == t.letup
        assert v["pops"].text() == "–" and "no microphone" in win.thrust_panel.pops_line.text()   # nobody listened
    feed.until(thrusts[-1].t_onset + 0.7)
    drawn = [c for c in win.thrust_panel.plot.curves if c.getOriginalDataset()[0] is not None
             and len(c.getOriginalDataset()[0])]
    assert len(drawn) == 2                                        # both overlaid at onset
    x, y = drawn[-1].getOriginalDataset()
    assert x[0] < 0 < x[-1] and abs(y.max() - thrusts[1].peak_n) < 0.05 * thrusts[1].peak_n
    assert win.force_plot.colour_at(thrusts[0].t_peak) == GRADE_COLOURS["V"]
    win.grab().save(str(ARTIFACTS / "trainer_thrust.png"))


def test_blind_schedule_hides_the_set_then_reveals_it(qtbot, reference):
    win, eng = _window(qtbot, feedback="blind", target=Target.parse("III"))
    feed = Feeder(eng, win)
    c = [e for e in reference if isinstance(e, CycleEvent) and e.grade == "III"][3]
    feed.until(c.t_detect_s + 0.06)
    assert win.grade_panel.grade.text() == HIDDEN
    assert win.force_plot.colour_at(0.5 * (c.t_start + c.t_end)) is None
    last = [e for e in reference if isinstance(e, CycleEvent) and e.set_index == c.set_index][-1]
    feed.until(last.t_end + eng.scheme.set_gap_s + 0.1)
    assert win.grade_panel.grade.text() == _label(last)
    assert win.force_plot.colour_at(0.5 * (c.t_start + c.t_end)) == GRADE_COLOURS["III"]


def test_bandwidth_schedule_speaks_only_off_target(qtbot, reference):
    win, eng = _window(qtbot, feedback="bandwidth", target=Target.parse("III-"))
    feed = Feeder(eng, win)
    cyc = [e for e in reference if isinstance(e, CycleEvent)]
    on = next(c for c in cyc if _label(c) == "III-" and c is not cyc[-1])
    feed.until(on.t_detect_s + 0.02)
    assert win.grade_panel.grade.text() == HIDDEN                   # on target: stay quiet
    off = next(c for c in cyc if _label(c) == "III+")
    feed.until(off.t_detect_s + 0.02)
    assert win.grade_panel.grade.text() == "III+"


def test_keys_change_window_and_schedule(qtbot):
    win, eng = _window(qtbot)
    w0 = win.force_plot.window_s
    qtbot.keyClick(win, Qt.Key.Key_Plus)
    assert win.force_plot.window_s == w0 + 2
    qtbot.keyClick(win, Qt.Key.Key_Minus)
    qtbot.keyClick(win, Qt.Key.Key_Minus)
    assert win.force_plot.window_s == w0 - 2
    modes = []
    for _ in range(5):
        qtbot.keyClick(win, Qt.Key.Key_F)
        modes.append(win.schedule.mode)
    assert modes == ["terminal", "faded", "bandwidth", "blind", "concurrent"]


def test_terminal_schedule_gives_a_set_summary_at_the_end(qtbot, reference):
    win, eng = _window(qtbot, feedback="terminal", target=Target.parse("II"))
    feed = Feeder(eng, win)
    ii = [e for e in reference if isinstance(e, CycleEvent) and e.grade == "II"]
    feed.until(ii[2].t_detect_s + 0.02)
    assert win.grade_panel.grade.text() == HIDDEN
    assert win.force_plot.colour_at(0.5 * (ii[1].t_start + ii[1].t_end)) == GRADE_COLOURS["II"]
    feed.until(ii[-1].t_end + eng.scheme.set_gap_s + 0.1)
    assert win.grade_panel.grade.text() == "II"
    assert f"set: {len(ii)} cycles, 100 % on target" in win.grade_panel.caption.text()


def test_movement_diagram_with_force_and_imu(qtbot, tmp_path):
    from ui.cli import main
    out = tmp_path / "imu_grade3.csv"
    assert main(["simulate", "--grade", "III", "--cycles", "6", "--imu", "200", "--seed", "3",
                 "-o", str(out)]) == 0
    win, eng = _window(qtbot)
    Feeder(eng, win, path=out).until(1e9)
    looped = [c for c in eng.cycles if c.loop]
    assert looped, "force + IMU cycles carry their force-displacement loop"
    x, y = win.movement.curves[-1].getOriginalDataset()
    last = np.asarray(looped[-1].loop, dtype=float)
    assert np.allclose(x, last[:, 0]) and np.allclose(y, last[:, 1])


def test_pops_are_marked_at_their_moment_and_counted_per_thrust(qtbot):
    """With room audio, each thrust's pops appear above the force trace and the panel says how
    many and when, as the headless replay does."""
    from analysis.events import CavitationEvent
    from analysis.summary import describe_pops

    fix = DEMO.parent / "thrust_pops.csv"
    s, th = schemes()
    ref = analyze_input(load_input(fix, audio=fix.with_suffix(".flac")), s, th)
    win, eng = _window(qtbot, target=Target.parse("V"))
    feed = Feeder(eng, win, path=fix, frame_every=5)      # (each until ends on a frame, which is checked)
    feed.chunks = iter_chunks(load_input(fix, audio=fix.with_suffix(".flac")), 0.05)
    thrusts = [e for e in ref if isinstance(e, ThrustEvent)]
    pops = [e for e in ref if isinstance(e, CavitationEvent)]
    for t in thrusts:
        mine = [p for p in pops if p.thrust == t.index]
        feed.until(max([t.t_detect_s] + [p.t_detect_s for p in mine]) + 0.06)
        first = 1000 * (min(p.t for p in mine) - t.t_peak) if mine else None
        assert win.thrust_panel.values["pops"].text() == str(len(mine))
        assert win.thrust_panel.pops_line.text() == describe_pops(len(mine), first)
        if mine:
            xs = win.force_plot.pops.data["x"] + win.force_plot.t_now
            assert any(abs(x - mine[0].t) < 1e-6 for x in xs)
            assert min(win.force_plot.pops.data["y"]) > t.peak_n          # above the trace
    assert "4 pops, first" in win.thrust_panel.pops_line.text()
    win.grab().save(str(ARTIFACTS / "trainer_pops.png"))


def test_a_pop_outside_any_thrust_is_marked_apart_from_the_pops_of_a_thrust(qtbot, tmp_path):
    """A pop 2.4 s after a thrust (a partner's knuckles, say) is drawn outlined; the thrust's
    own pops stay filled, so the instructor can tell them apart at a glance."""
    import soundfile as sf
    from PySide6.QtCore import Qt as QtNS

    from firmware_bridge.audio_sim import pop_wave

    fix = DEMO.parent / "thrust_pops.csv"
    x, sr = sf.read(fix.with_suffix(".flac"), dtype="float32")
    w = pop_wave(np.random.default_rng(5), sr)
    k = int(10.0 * sr)
    x[k:k + len(w)] += 0.3 * w / np.abs(w).max()
    clip = tmp_path / "clip.flac"
    sf.write(clip, x, sr)
    win, eng = _window(qtbot, target=Target.parse("V"))
    feed = Feeder(eng, win, path=fix)
    feed.chunks = iter_chunks(load_input(fix, audio=clip), 0.05)
    feed.until(10.5)
    outside = [p for p in eng.pops if p.thrust is None]
    assert [round(p.t, 2) for p in outside] == [10.0]
    assert win.force_plot.drawn["pops_outside"] == 1 and win.force_plot.drawn["pops"] >= 2
    spots = win.force_plot.pops.points()
    filled = {round(s.pos().x() + win.force_plot.t_now, 2): s.brush().style() != QtNS.BrushStyle.NoBrush
              for s in spots}
    assert filled[10.0] is False and all(v for t, v in filled.items() if t != 10.0)
    win.grab().save(str(ARTIFACTS / "trainer_pop_outside.png"))
