"""A recording made with a hand-worn IMU alone has the hand's movement drawn in the report, as
the review draws it (its IMU cycles above it): the page said "No force was recorded (IMU only)."
with no plot at all. A recording with force beside its IMU keeps its force plot alone."""

from __future__ import annotations

import os
import re

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.ui.review.conftest import mobilisation_sessions  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_imu_only_recording_has_its_movement_plot(tmp_path, capsys, monkeypatch):
    import pyqtgraph as pg

    from ui.cli import main
    from ui.report import figures
    from ui.review.data import open_review
    root, imu, both = mobilisation_sessions(tmp_path)
    drawn: dict[str, list] = {}
    real = figures._png

    def png(plot_item, width=1000):
        drawn[plot_item.titleLabel.text] = [it.getData() for it in plot_item.items if isinstance(it, pg.PlotDataItem)]
        return real(plot_item, width)
    monkeypatch.setattr(figures, "_png", png)
    out = tmp_path / "class.html"
    assert main(["report", "--class", str(root), "-o", str(out)]) == 0
    capsys.readouterr()
    page = out.read_text(encoding="utf-8")
    sections = dict(re.findall(r'<h2>\d+\. (\w+)</h2>(.*?)</section>', page, re.S))
    assert "No force was recorded (IMU only)." in sections["imu"]
    assert 'alt="hand movement of imu"' in sections["imu"]
    assert "hand movement" not in sections["both"] and 'alt="force of both"' in sections["both"]
    # the movement the review shows, and a mark for each of the IMU's cycles
    curves = drawn["imu: hand movement (IMU)"]
    t, mm = open_review(imu).movement
    x, y = curves[0]
    assert np.nanmax(y) == pytest.approx(float(np.nanmax(mm)), rel=1e-6)
    assert np.nanmin(y) == pytest.approx(float(np.nanmin(mm)), rel=1e-6)
    n_cycles = sum(e["type"] == "imu_cycle" for e in open_review(imu).events)
    assert n_cycles >= 12 and sum(len(c[0]) for c in curves[1:]) == n_cycles
