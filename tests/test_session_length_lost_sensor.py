"""A recording whose sensor was lost before its end has one length: the recording's, from its
first sample to the end of the gap it marked (the recorder went on waiting for the sensor up to
its --duration), not its samples' span. Replay's summary, the report's duration, its sessions CSV,
the library's figure and screenshot --replay all gave 4.0 s for a 14 s recording with a 10 s gap
(and the screenshot refused --at 9: "hal1 ends at 4.0 s"). A recording without a gap past its
last sample keeps its samples' span."""

from __future__ import annotations

import csv
import json

import numpy as np
import pyqtgraph as pg
import pytest

from firmware_bridge.recorder import new_meta, record
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import SessionMeta, SessionWriter, open_session
from firmware_bridge.sources import Source
from analysis.chunk import Chunk
from tests._cli_in_process import gc_in_process
from tests._lost_sensor import DATA_S, END_S, RATE, SCHEME, _cycles, _lost_session
from ui import cmd_screenshot
from ui.cli import build_parser
from ui.library.stats import session_stats
from ui.table import describe_lengths

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_replay_summary_counts_the_time_the_sensor_was_lost_at_the_end(tmp_path):
    folder = _lost_session(tmp_path / "hal1")
    inp = load_input(folder)
    assert inp.duration_s == pytest.approx(END_S)
    summary = analyze_input(inp, SCHEME)[-1]
    assert summary.duration_s == pytest.approx(END_S)            # (it was 3.995: the samples' span)
    assert summary.spans_s["force"] == [0.0, pytest.approx(DATA_S - 1 / RATE)]   # (the data's, unchanged)
    assert describe_lengths(summary.to_dict()) == "14.0 s"


def test_a_recording_without_a_gap_past_its_end_keeps_its_samples_span(tmp_path):
    """A gap the sensor came back from, and none at all: the length is the data's, as before."""
    folder = tmp_path / "back"
    t = np.concatenate([np.arange(0.0, 2.0, 1 / RATE), np.arange(8.0, 10.0, 1 / RATE)])
    w = SessionWriter(folder, SessionMeta(r1_n=40.0, r2_n=120.0), flush_s=1e9)
    w.append_force(t, _cycles(t))
    w.mark_gap(2.0, 8.0, "disconnected")
    w.close(RATE)
    inp = load_input(folder)
    assert inp.duration_s == pytest.approx(t[-1])
    s = analyze_input(inp, SCHEME)[-1]
    assert s.duration_s == pytest.approx(t[-1])
    assert describe_lengths(s.to_dict()) == f"{t[-1]:.1f} s"
    plain = _lost_session(tmp_path / "plain", gap=None)
    assert analyze_input(load_input(plain), SCHEME)[-1].duration_s == pytest.approx(DATA_S - 1 / RATE)


def test_a_stored_summary_of_the_samples_span_reads_as_the_recordings_length(tmp_path, capfd):
    """A session recorded before: its stored summary says 3.995 s. The report (stored events),
    its sessions CSV and the library's figure all give the recording's 14 s."""
    folder = _lost_session(tmp_path / "hal1", stored_duration_s=DATA_S - 1 / RATE)
    s = open_session(folder)
    assert s.events[-1]["duration_s"] == pytest.approx(END_S)
    assert session_stats(s.events, None, SCHEME)["duration_s"] == pytest.approx(END_S)
    out = gc_in_process(capfd, "report", folder, "-o", tmp_path / "r.html", "--sessions-csv", tmp_path / "s.csv")
    assert out.returncode == 0, out.stderr
    (row,) = csv.DictReader((tmp_path / "s.csv").read_text(encoding="utf-8-sig").splitlines())
    assert float(row["duration_s"]) == pytest.approx(END_S)         # (it said 3.995)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<dt>duration</dt><dd>14.0 s</dd>" in page                # (it said 4.0 s)


class _LostSource(Source):
    """Gives 4 s of cycles in one read, then is lost (a disconnected notice) and never back."""

    spec = "test:lost"

    def __init__(self) -> None:
        super().__init__()
        self.info.update(rate_hz=RATE)
        self._given = False

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def read(self, timeout_s: float = 0.1) -> list[Chunk]:
        if self._given:
            return []
        self._given = True
        t = np.arange(0.0, DATA_S, 1 / RATE)
        self.notify("disconnected", "test:lost: connection lost, reconnecting", float(t[-1]) + 1 / RATE)
        return [Chunk(t, _cycles(t), 0, "force", RATE)]


def test_record_stores_the_recordings_length_when_the_sensor_is_lost(tmp_path):
    """'record --duration 14' of a sensor lost after 4 s: the stored summary says 14 s."""
    now = [100.0]

    def clock() -> float:
        now[0] += 0.25
        return now[0]

    src = _LostSource()
    w = SessionWriter(tmp_path / "sess", new_meta(src, SCHEME))
    res = record(src, w, SCHEME, duration_s=END_S, clock=clock)
    w.close(RATE)
    assert res.lost_at_s == pytest.approx(DATA_S)
    s = open_session(tmp_path / "sess")
    (gap,) = s.meta.gaps
    assert gap["t_end"] == pytest.approx(END_S, abs=1e-5)
    stored = [json.loads(line) for line in (tmp_path / "sess" / "events.jsonl").read_text().splitlines()]
    assert stored[-1]["type"] == "summary"
    assert stored[-1]["duration_s"] == pytest.approx(END_S, abs=1e-5)     # (it was 3.995)


def test_a_screenshot_inside_the_lost_stretch_shows_it(tmp_path):
    """--at 9 of the 14 s recording: not refused; the plot runs to 9 s with the time without data
    so far shaded, and the banner says the sensor was lost."""
    folder = _lost_session(tmp_path / "hal1")
    args = build_parser("screenshot").parse_args(["screenshot", "--replay", str(folder), "--at", "9",
                                                  "-o", str(tmp_path / "x.png")])
    win = cmd_screenshot.render(args)
    try:
        plot = win.force_plot
        assert plot.t_now == pytest.approx(9.0)
        shaded = [r.getRegion() for r in plot.gap_items if r.isVisible()]
        assert shaded == [pytest.approx((DATA_S - 9.0, 0.0))]
        assert all(isinstance(r, pg.LinearRegionItem) for r in plot.gap_items)
        assert win.banner.isVisible() and "disconnected" in win.banner.text().lower()
        x, _ = plot.trace.getData()
        assert np.nanmax(x) == pytest.approx(DATA_S - 1 / RATE - 9.0)     # (the force up to its last sample)
    finally:
        win.close()
    args = build_parser("screenshot").parse_args(["screenshot", "--replay", str(folder), "--at", "14.5",
                                                  "-o", str(tmp_path / "x.png")])
    with pytest.raises(Exception, match="ends at 14.0 s"):
        cmd_screenshot.render(args)
