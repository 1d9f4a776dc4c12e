"""The report's force figure of a recording timed by a device's clock (its first sample at
9,000,000 s): its time ticks read "9000020", as the report's tables and replay print its times;
they read "9e+06", "9.00002e+06" (pyqtgraph's %g from 10,000 on)."""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtGui import QPicture, QPainter

import ui.report as report
from ui.report import figures
from firmware_bridge.session import write_force_csv


def test_force_figure_ticks_read_as_the_recordings_times(tmp_path, monkeypatch):
    t = np.round(9_000_000.0 + np.arange(0.0, 60.0, 0.005), 6)
    rec = tmp_path / "uptime.csv"
    write_force_csv(rec, t, 60 + 30 * np.sin(2 * np.pi * 1.5 * (t - t[0])))
    drawn: list[list[str]] = []
    png = figures._png

    def ticks_then_png(plot_item, *a, **kw):
        out = png(plot_item, *a, **kw)          # (laid out and exported first, as the report does)
        picture = QPicture()
        painter = QPainter(picture)
        try:
            drawn.append([s[2] for s in plot_item.getAxis("bottom").generateDrawSpecs(painter)[2]])
        finally:
            painter.end()
        return out

    monkeypatch.setattr(figures, "_png", ticks_then_png)
    item = report.load_item(rec, r1=40, r2=120)
    assert report.force_figure(item)
    ticks = drawn[0]
    assert len(ticks) >= 3, ticks
    assert all(re.fullmatch(r"\d+", s) for s in ticks), ticks
    assert all(9_000_000 - 5 <= float(s) <= 9_000_065 for s in ticks), ticks
