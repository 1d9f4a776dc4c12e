"""A recording made with a hand-worn IMU alone: the report's movement plot draws, over each
thrust, the hand's movement as its "hand moved" figure is measured, with a dot at its peak, as
the review's Session tab draws it. The plot had the band-limited trace alone, its triangles at
2–3 mm beside a thrusts table saying "hand moved 4.3 / 4.1 / 4.1 mm"."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.ui.review._report_page import Page  # noqa: E402
from ui.cli import main  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_imu_only_thrusts_are_drawn_as_far_as_the_table_says_the_hand_moved(tmp_path, capsys, monkeypatch):
    import pyqtgraph as pg

    from ui.report import figures
    from ui.review.data import open_review
    from ui.review.movement import thrust_curves
    from ui.review.trace import imu_movement

    sim = tmp_path / "sim" / "t.csv"
    assert main(["simulate", "--thrust", "--sets", "3", "--imu", "500", "--seed", "5", "-o", str(sim)]) == 0
    folder = tmp_path / "imu_only"
    folder.mkdir()
    shutil.copy(sim.with_name("t.imu.csv"), folder / "imu.csv")
    (folder / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2026-10-01T10:00:00", "trainee": "Noah", "technique": "HVLA",
        "target": "V", "complete": True, "streams": {"imu": {"file": "imu.csv", "rate_hz": 500.0}}}))
    drawn: dict[str, list] = {}
    real = figures._png

    def png(plot_item, width=1000):
        drawn[plot_item.titleLabel.text] = [(it.opts.get("symbol"), *it.getData()) for it in plot_item.items
                                            if isinstance(it, pg.PlotDataItem)]
        return real(plot_item, width)
    monkeypatch.setattr(figures, "_png", png)
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    capsys.readouterr()
    page = Page(out.read_text(encoding="utf-8"))
    moved = [float(r["hand moved (mm)"]) for r in page.table("thrusts")]
    assert len(moved) == 3 and all(m > 3.0 for m in moved)

    thrusts = [e for e in open_review(folder).events if e["type"] == "thrust"]
    t, mm = imu_movement(open_review(folder).inp.imu)       # (the band-limited trace the plot draws)
    items = drawn["imu_only: hand movement (IMU)"]
    marks = [(x, y) for symbol, x, y in items if symbol is not None]
    for e, figure in zip(thrusts, moved):
        at_onset = float(np.interp(e["t_onset"], t, mm))
        # a mark at the thrust's peak, the table's figure above the movement drawn at its onset
        heights = [float(y[k]) - at_onset for x, y in marks for k in np.flatnonzero(np.isclose(x, e["t_peak"]))]
        assert any(h == pytest.approx(figure, abs=0.051) for h in heights), (figure, heights)

    # the thrusts' curves, as the review measures them (thrust_curves), raised onto the trace
    curves = thrust_curves(open_review(folder).inp.imu, [e["t_onset"] for e in thrusts])
    lines = [(x, y) for symbol, x, y in items if symbol is None]
    x, y = next((x, y) for x, y in lines if np.isnan(x).any())
    parts = np.split(np.arange(len(x)), np.flatnonzero(np.isnan(x)))
    got = [(x[k[np.isfinite(x[k])]], y[k[np.isfinite(x[k])]]) for k in parts if np.isfinite(x[k]).any()]
    assert len(got) == 3
    for (gx, gy), e in zip(got, thrusts):
        cx, cy = curves[float(e["t_onset"])]
        assert np.allclose(gx, cx) and np.allclose(gy, cy + np.interp(e["t_onset"], t, mm))
