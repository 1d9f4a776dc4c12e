"""The report's figures as a reader sees them."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

import ui.report as report
from ui.report import figures, score_chart

from .conftest import make_session


def test_axis_titles_are_laid_out_clear_of_the_tick_numbers(tmp_path, monkeypatch):
    """Every figure is drawn with its axes already as wide (tall) as their numbers need: the
    layout does not change any more once drawn. Before, the axes widened only after the
    export, and "force (N)" was printed over 100-250, "time (s)" over the seconds."""
    folder = make_session(tmp_path / "ben", kinds=("III", "V"), target="III", seed=3)
    drawn = []
    export = figures._png

    def watch(plot_item, width=1000):
        out = export(plot_item, width)
        sizes = lambda: {n: (round(plot_item.getAxis(n).width(), 1), round(plot_item.getAxis(n).height(), 1))  # noqa: E731
                         for n in ("left", "bottom")}
        at_export = sizes()
        QApplication.processEvents()            # what a shown window would lay out next
        drawn.append((plot_item.titleLabel.text, at_export, sizes()))
        return out

    monkeypatch.setattr(figures, "_png", watch)
    monkeypatch.setattr(score_chart, "_png", watch)
    item = report.load_item(folder)
    report.render_html([item, report.load_item(folder)])
    assert len(drawn) == 7                     # scores; force, grades and thrusts of each
    for title, at_export, settled in drawn:
        assert at_export == settled, title
    left = [a["left"][0] for title, a, _ in drawn if title.endswith(": force")]
    assert len(left) == 2 and min(left) > 40, left     # room for "400" and the title beside it


def test_a_recording_without_a_score_has_no_bar_in_the_class_chart(tmp_path, monkeypatch):
    """Of a scored session (100 %), one without a target (no score) and one scored 0 %: the
    chart has the two scored bars and marks the other "–", as the overview table does (it drew
    a bar of height 0, the same as 0 %)."""
    import pyqtgraph as pg

    scored = report.load_item(make_session(tmp_path / "a", kinds=("III",), target="III", seed=1))
    none = report.load_item(make_session(tmp_path / "b", kinds=("III",), target=None, seed=2))
    zero = report.load_item(make_session(tmp_path / "c", kinds=("III",), target="IV", seed=3))
    assert [it.stats["score_pct"] for it in (scored, none, zero)] == [100.0, None, 0.0]
    seen = {}
    export = score_chart._png

    def watch(plot_item, width=1000):
        bars = [i for i in plot_item.items if isinstance(i, pg.BarGraphItem)]
        seen["bars"] = [(float(x), float(h)) for b in bars for x, h in zip(b.opts["x"], b.opts["height"])]
        seen["ticks"] = [t for _, t in plot_item.getAxis("bottom")._tickLevels[0]]
        return export(plot_item, width)

    monkeypatch.setattr(score_chart, "_png", watch)
    report.scores_figure([scored, none, zero])
    assert seen["bars"] == [(0.0, 100.0), (2.0, 0.0)]
    assert seen["ticks"] == ["1", "2 –", "3"]


def test_an_hour_of_cycles_is_drawn_as_one_marker_set_per_grade(tmp_path, monkeypatch):
    """3000 cycle crests (an hour at about 1 Hz) and two thrust peaks: every one drawn where
    the event says, in its grade's colour, from one marker set per grade. One plot item per
    crest took 10 s of the 12 s a one-hour report took."""
    import pyqtgraph as pg

    from ui.review.trace import grade_color

    item = report.load_item(make_session(tmp_path / "a", kinds=("III",), target="III", seed=1))
    grades = ["III", "IV", None]
    cycles = [{"type": "cycle", "t_crest": 0.001 * k, "crest_n": 50.0 + k % 7, "grade": grades[k % 3]}
              for k in range(3000)]
    thrusts = [{"type": "thrust", "t_peak": 1.5, "peak_n": 400.0}, {"type": "thrust", "t_peak": 2.5, "peak_n": None}]
    item.events = cycles + thrusts + [item.summary]
    seen = []
    export = figures._png

    def watch(plot_item, width=1000):
        for it in plot_item.listDataItems():
            if isinstance(it, pg.PlotDataItem) and it.opts["symbol"] is not None:
                x, y = it.getData()
                seen.append((it.opts["symbol"], tuple(pg.mkBrush(it.opts["symbolBrush"]).color().getRgb()[:3]),
                             list(zip(x.tolist(), y.tolist()))))
        return export(plot_item, width)

    monkeypatch.setattr(figures, "_png", watch)
    report.force_figure(item)
    assert len(seen) == 4                                   # three grades and the thrusts
    drawn = {(sym, color, pt) for sym, color, pts in seen for pt in pts}
    want = {("o", grade_color(c["grade"]), (c["t_crest"], c["crest_n"])) for c in cycles}
    want |= {("t", grade_color("V"), (1.5, 400.0)), ("t", grade_color("V"), (2.5, 0.0))}
    assert drawn == want


def test_the_thrust_figure_says_what_its_colours_mean(tmp_path, monkeypatch):
    """A thrust let up before onset is drawn red, the others blue: a key says so, once each."""
    item = report.load_item(make_session(tmp_path / "b", kinds=("V", "V", "V"), target="V", seed=3))
    thrusts = [e for e in item.events if e.get("type") == "thrust"]
    assert len(thrusts) == 3
    thrusts[0]["letup"] = True
    seen = {}
    export = figures._png

    def watch(plot_item, width=1000):
        legend = plot_item.legend
        seen["key"] = [label.text for _, label in legend.items] if legend is not None else []
        seen["curves"] = len(plot_item.listDataItems())
        return export(plot_item, width)

    monkeypatch.setattr(figures, "_png", watch)
    report.thrust_figure(item)
    assert seen == {"key": ["let up before onset", "no let-up"], "curves": 3}


def test_the_calibration_lines_are_named(tmp_path, monkeypatch, qtbot):
    """The two green lines of the force plots say which is R1 and which R2, in the report and
    in the review window."""
    import pyqtgraph as pg

    from ui.review.window import ReviewWindow

    folder = make_session(tmp_path / "a", kinds=("III",), target="III", seed=1)
    seen = {}
    export = figures._png

    def watch(plot_item, width=1000):
        seen["lines"] = sorted((ln.value(), ln.label.format) for ln in plot_item.items
                               if isinstance(ln, pg.InfiniteLine) and ln.angle == 0 and ln.label is not None)
        return export(plot_item, width)

    monkeypatch.setattr(figures, "_png", watch)
    report.force_figure(report.load_item(folder))
    assert seen["lines"] == [(40.0, "R1"), (120.0, "R2")]
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.open_session(folder)
    lines = win.session_view.r_lines
    assert [(ln.value(), ln.label.format, ln.isVisible()) for ln in lines] == [(40.0, "R1", True), (120.0, "R2", True)]


def test_the_class_chart_says_what_an_hvla_score_counts(tmp_path, monkeypatch):
    titles = []
    export = score_chart._png

    def watch(plot_item, width=1000):
        titles.append(plot_item.titleLabel.text)
        return export(plot_item, width)

    monkeypatch.setattr(score_chart, "_png", watch)
    mob = report.load_item(make_session(tmp_path / "a", kinds=("III",), target="III", seed=1))
    hvla = report.load_item(make_session(tmp_path / "b", kinds=("V",), target="V", seed=2))
    report.scores_figure([mob, mob])
    report.scores_figure([mob, hvla])
    assert titles == ["score by recording: % on target",
                      "score by recording: % on target; of an HVLA session, % of thrusts on target"]
