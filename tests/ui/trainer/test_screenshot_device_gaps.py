"""``gradecoach screenshot --device file:SESSION`` shows the gaps the session stored, with their
reasons, as the trainer playing it does: an unplug and three runs of 10 lost samples are four shaded
spans (1 disconnected, 3 dropped samples) and the status line reads 'dropped 30'. It showed only the
analysis's one 'dropout' of the unplug, and counted the samples the device went on numbering while
unplugged as dropped."""

from __future__ import annotations

import pytest

from tests.firmware_bridge._gapped_session import STORED, recorded_session
from ui import cmd_screenshot
from ui.cli import build_parser

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_a_screenshot_of_a_played_session_shows_its_stored_gaps(tmp_path):
    folder = recorded_session(tmp_path / "s")
    args = build_parser("screenshot").parse_args(["screenshot", "--device", f"file:{folder}", "--at", "6.5",
                                                  "-o", str(tmp_path / "x.png")])
    win = cmd_screenshot.render(args)
    try:
        eng = win.engine
        assert [(g.reason) for g in eng.gaps] == [why for _, _, why in STORED]
        assert [(g.t_start, g.t_end) for g in eng.gaps] == [pytest.approx((a, b), abs=0.0021) for a, b, _ in STORED]
        plot = win.force_plot                       # (the plot's 10 s hold the whole session)
        shaded = sorted(r.getRegion() for r in plot.gap_items if r.isVisible())
        assert shaded == [pytest.approx((a - plot.t_now, b - plot.t_now), abs=0.0021) for a, b, _ in STORED]
        assert "dropped 30" in win._status_text() and not win.banner.isVisible()
    finally:
        win.close()
