"""The report's figures as a reader sees them."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

import ui.report as report

from .conftest import make_session


def test_axis_titles_are_laid_out_clear_of_the_tick_numbers(tmp_path, monkeypatch):
    """Every figure is drawn with its axes already as wide (tall) as their numbers need: the
    layout does not change any more once drawn. Before, the axes widened only after the
    export, and "force (N)" was printed over 100-250, "time (s)" over the seconds."""
    folder = make_session(tmp_path / "ben", kinds=("III", "V"), target="III", seed=3)
    drawn = []
    export = report._png

    def watch(plot_item, width=1000):
        out = export(plot_item, width)
        sizes = lambda: {n: (round(plot_item.getAxis(n).width(), 1), round(plot_item.getAxis(n).height(), 1))  # noqa: E731
                         for n in ("left", "bottom")}
        at_export = sizes()
        QApplication.processEvents()            # what a shown window would lay out next
        drawn.append((plot_item.titleLabel.text, at_export, sizes()))
        return out

    monkeypatch.setattr(report, "_png", watch)
    item = report.load_item(folder)
    report.render_html([item, report.load_item(folder)])
    assert len(drawn) == 7                     # scores; force, grades and thrusts of each
    for title, at_export, settled in drawn:
        assert at_export == settled, title
    left = [a["left"][0] for title, a, _ in drawn if title.endswith(": force")]
    assert len(left) == 2 and min(left) > 40, left     # room for "400" and the title beside it
