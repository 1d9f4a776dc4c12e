"""The review draws the hand's movement around a thrust seen by a hand-worn IMU alone as its
"hand moved" figure is measured (from the hold before the thrust), in the thrusts' colour over
the movement: the band-limited trace drawn alone rose about 1.4 mm from the simulated thrust's
onset to its peak where its row said 4.3 mm. Computed off the window's thread, as the movement
is; a thrust measured by force has no such curve."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt

from ui.review.trace import grade_color

from .conftest import imu_and_force_sessions, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _thrust_coloured(view) -> list:
    """The lines of the detail plot drawn in the thrusts' colour (not the marks)."""
    want = grade_color("V")
    out = []
    for item in view.detail.getPlotItem().listDataItems():
        if not isinstance(item, pg.PlotDataItem):
            continue
        pen = item.opts.get("pen")
        if pen is None or isinstance(pen, (str, tuple)):
            continue
        c = pen.color()
        if (c.red(), c.green(), c.blue()) == want:
            x, y = item.getOriginalDataset()       # (as set: not thinned for the screen)
            if x is not None and len(x):
                out.append((np.asarray(x, dtype=float), np.asarray(y, dtype=float)))
    return out


def _click_thrust(view, qtbot) -> tuple[dict, int]:
    th = view.rs.of_type("thrust")[0]
    row = next(i for i, e in enumerate(view._listed) if e is th)
    view.events_table.scrollToItem(view.events_table.item(row, 0))
    rect = view.events_table.visualItemRect(view.events_table.item(row, 0))
    qtbot.mouseClick(view.events_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return th, row


def test_an_imu_only_thrust_is_drawn_as_its_hand_moved_figure_is_measured(qtbot, tmp_path, capsys, monkeypatch):
    from ui.review import movement as movement_module
    # (where the thrusts' movement is computed: off the window's thread)
    real, threads = getattr(movement_module, "thrust_curves", None), []

    def watched(*a, **kw):
        threads.append(threading.current_thread())
        return real(*a, **kw)
    monkeypatch.setattr(movement_module, "thrust_curves", watched, raising=False)

    root, imu, force, _ = imu_and_force_sessions(tmp_path)
    capsys.readouterr()
    win = shown_review(qtbot, root)
    view = win.session_view
    win.open_session(imu)
    qtbot.waitUntil(lambda: bool(_thrust_coloured(view)), timeout=15000)
    assert threads and all(t is not threading.main_thread() for t in threads)

    th, row = _click_thrust(view, qtbot)
    listed = float(view.events_table.item(row, 3).text())
    assert view.details_dict()["hand moved"] == f"{listed:.1f} mm"
    on, pk = float(th["t_onset"]), float(th["t_peak"])
    (x, y), = _thrust_coloured(view)
    seg = np.isfinite(y) & (x >= on - 0.31) & (x <= on + 0.61)
    x, y = x[seg], y[seg]
    assert x[0] == pytest.approx(on - 0.3, abs=0.005) and x[-1] == pytest.approx(on + 0.6, abs=0.005)
    rise = np.interp(pk, x, y) - np.interp(on, x, y)
    assert rise == pytest.approx(listed, abs=0.3)
    # it sits on the movement drawn at the onset; that trace alone rose under half the figure
    tt, dd = (np.asarray(a, dtype=float) for a in view.curve.getOriginalDataset())
    ok = np.isfinite(dd)
    assert np.interp(on, x, y) == pytest.approx(np.interp(on, tt[ok], dd[ok]), abs=1e-6)
    band = np.interp(pk, tt[ok], dd[ok]) - np.interp(on, tt[ok], dd[ok])
    assert band < 0.5 * listed
    # a dot on the curve at the thrust's peak, the thrust's mark on the trace below it
    (dot,) = view.thrust_curve_peaks.points()
    assert tuple(dot.pos()) == pytest.approx((pk, np.interp(pk, x, y)), abs=1e-6)
    (mark,) = [p for p in view.thrust_marks.points() if p.data() is th]
    assert mark.pos().y() == pytest.approx(np.interp(pk, tt[ok], dd[ok]), abs=1e-6)
    print(f"hand moved {listed:.1f} mm; curve rose {rise:.2f} mm, band-limited trace {band:.2f} mm")

    view.detail.setXRange(on - 1.0, on + 1.5, padding=0)
    qtbot.wait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_imu_thrust_curve.png"))

    win.open_session(force)
    _click_thrust(view, qtbot)
    qtbot.wait(100)
    assert _thrust_coloured(view) == []

    # a session opened with its movement already computed gets its thrust's curve all the same
    from ui.review.data import open_review
    view.set_session(open_review(imu))
    qtbot.waitUntil(lambda: bool(_thrust_coloured(view)), timeout=15000)
    (x2, y2), = _thrust_coloured(view)
    ok2 = np.isfinite(y2)
    assert np.interp(pk, x2[ok2], y2[ok2]) - np.interp(on, x2[ok2], y2[ok2]) == pytest.approx(rise, abs=1e-9)
