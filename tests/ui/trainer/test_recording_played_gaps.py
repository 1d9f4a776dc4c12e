"""A session played in the trainer (file:SESSION) shows the gaps its recording stored, with their
reasons, in the trainer's list and as shaded spans on the force plot, as 'gradecoach replay' of
it gives them; a trainer recording of it stores them again. The played session told of none: an
unplug was the analysis's 'dropout' and short 'dropped samples' gaps were not there at all."""

from __future__ import annotations

import pytest

from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import open_session
from firmware_bridge.sources import FileSource
from tests.firmware_bridge._gapped_session import STORED, UNPLUG, gaps_of, recorded_session

from .conftest import live_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_played_session_shows_and_records_the_gaps_replay_gives(qtbot, tmp_path):
    folder = recorded_session(tmp_path / "s")
    replayed = gaps_of([e.to_dict() for e in analyze_input(load_input(folder))])
    assert replayed == STORED
    # (at real-time speed: the recording must start before the unplug at 2 s of data, which at 4x
    # a loaded machine missed by a sample, 0.5 s after playback began)
    win, eng, worker = live_window(qtbot, tmp_path, FileSource(str(folder), speed=1.0))
    seen_away = []
    worker.start()
    try:
        qtbot.waitUntil(lambda: eng.scheme.calibrated, timeout=30_000)    # (the session's own R1, R2)
        rec = win.start_recording()
        qtbot.waitUntil(lambda: seen_away.append(eng.disconnected) or eng.finished, timeout=30_000)
        win.refresh()
        assert win.stop_recording() == rec
    finally:
        win.close()
    # (the list's gap of the unplug spans the analysis's mark of it too, from the last sample before
    # it: a sample, 2 ms, ahead of the recorded loss, as it is live)
    assert [g.reason for g in eng.gaps] == [why for _, _, why in replayed]
    assert [(g.t_start, g.t_end) for g in eng.gaps] == [pytest.approx((a, b), abs=0.0021) for a, b, _ in replayed]
    plot = win.force_plot                           # (the plot's 10 s hold the whole 7 s)
    shaded = sorted(r.getRegion() for r in plot.gap_items if r.isVisible())
    assert shaded == [pytest.approx((a - plot.t_now, b - plot.t_now), abs=0.0021) for a, b, _ in replayed]
    assert any(m and "the recorded sensor was lost for 1.5 s" in m for m in seen_away)
    assert eng.dropped == 30 and "dropped 30" in win._status_text()     # (3 runs of 10 lost samples)

    again = open_session(rec)                       # (its times from its first sample)
    t0 = again.meta.extra["source_t0_s"]
    # (it began before the unplug, so it holds every gap; on four workers a loaded machine began it
    # 1.478 s into the played data, where 1.0 was asked)
    assert t0 < UNPLUG[0]
    here = [(round(a - t0, 6), round(b - t0, 6), why) for a, b, why in STORED]
    assert [(round(g["t_start"], 6), round(g["t_end"], 6), g["reason"]) for g in again.meta.gaps] == here
    assert gaps_of(again.events) == here
