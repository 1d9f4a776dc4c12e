"""A force sample far off the scale (a bus error's 1e30 N) in the review's and the report's
force plots: the plots keep the scale of the rest of the recording, the sample is drawn at
the edge and marked, and the user is told (the plots were squashed to a flat line)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ui.report import figures
from ui.review.trace import force_scale
from ui.review.window import ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _spike(folder: Path, t_s: float, value: str = "1e30") -> Path:
    """Write ``value`` over the force sample nearest ``t_s`` in the session's force.csv."""
    fp = folder / "force.csv"
    lines = fp.read_text().splitlines()
    t = np.array([float(ln.split(",")[0]) for ln in lines[1:]])
    i = 1 + int(np.argmin(np.abs(t - t_s)))
    cells = lines[i].split(",")
    lines[i] = ",".join([cells[0], value] + cells[2:])
    fp.write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture
def spiked(tmp_path):
    # cycles up to about 85 N, then a 400 N thrust whose onset is at about 13.9 s
    folder = make_session(tmp_path / "ana", kinds=("III", "V"), target="III", seed=1)
    return _spike(folder, 5.7)


def _review(qtbot, folder: Path):
    """The review window on the library holding ``folder``, with that session open."""
    win = ReviewWindow(folder.parent)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    return win, win.open_session(folder), win.session_view


def test_the_review_keeps_the_scale_and_says_so(spiked, qtbot):
    win, rs, view = _review(qtbot, spiked)
    view.detail.setXRange(0, 17, padding=0)
    qtbot.wait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_force_off_scale.png"))
    for plot in (view.detail, view.overview):
        lo, hi = plot.getViewBox().viewRange()[1]
        assert -50 < lo < 0 and 400 < hi < 500, (lo, hi)          # the thrust's 400 N fills the plot
    assert len(view.curve.yData) == len(rs.inp.force.values) and view.curve.yData.max() < 410
    # the sample is drawn at the top edge and marked there
    (mark,) = view.off_marks.points()
    assert abs(mark.pos().x() - 5.7) < 0.01 and 400 < mark.pos().y() < 410
    assert len(view.over_off_marks.points()) == 1
    assert view.warning.isVisible()
    assert "warning: force: a sample far outside the rest of the recording (1e+30 N at 5.700 s; " \
           "the rest 0 to 40" in view.warning.text()
    assert "1 warning(s)" in win.statusBar().currentMessage()
    # the analysis never saw it: the same grades as before the fault
    assert rs.summary["grade_histogram"] == {"III": 8}
    win.compare(spiked, spiked)                               # side by side, on one scale
    for plot in win.compare_view.plots:
        lo, hi = plot.getViewBox().viewRange()[1]
        assert -50 < lo < 0 and 400 < hi < 500, (lo, hi)


def test_the_report_keeps_the_scale_and_says_so(spiked, monkeypatch, tmp_path, capsys):
    ranges = {}
    export = figures._png

    def watch(plot_item, width=1000):
        out = export(plot_item, width)
        ranges[plot_item.titleLabel.text] = plot_item.getViewBox().viewRange()[1]
        return out

    monkeypatch.setattr(figures, "_png", watch)
    _spike(spiked, 13.8, "-3.4e38")                           # in the thrust's window, the other way
    from ui.cli import main
    assert main(["report", str(spiked), "-o", str(tmp_path / "r.html")]) == 0
    lo, hi = ranges["ana: force"]
    assert -50 < lo < 0 and 400 < hi < 500, (lo, hi)
    lo, hi = ranges["ana: thrusts aligned at onset"]
    assert -50 < lo < 100 and 400 < hi < 500, (lo, hi)
    page = (tmp_path / "r.html").read_text()
    note = ("force: 2 samples far outside the rest of the recording (the furthest -3.4e+38 N at 13.800 s; "
            "the rest 0 to 40")
    assert f"<li>{note}" in page and "lone samples like these" in page
    assert note in capsys.readouterr().err


def test_spikes_of_a_believable_size_are_drawn_as_they_are():
    """Only samples far beyond the rest are off the scale: a 280 N lone spike on 0-100 N
    (a knock on the sensor) is drawn where it is, as before."""
    t = np.arange(2000) / 200.0
    y = 50 + 50 * np.sin(t)
    y[500] = 280.0
    sc = force_scale(y)
    assert len(sc.off) == 0 and sc.hi_n == 280.0 and sc.drawn(y) is y
    y[700] = 1e30
    y[900:902] = -1e30                                        # two in a row: beyond any hand's force
    sc = force_scale(y)
    assert sc.off.tolist() == [700, 900, 901] and (sc.lo_n, sc.hi_n) == (np.delete(y, [700, 900, 901]).min(), 280.0)


def test_a_pop_beside_the_sample_stays_on_the_trace_as_drawn(tmp_path, qtbot):
    """The pop's star sits on the force at its moment: beside a 1e30 N sample it was put at
    about 1e30 N, and the plot was squashed again."""
    from ui.review.data import open_review

    folder = make_session(tmp_path / "ana", kinds=("III", "V"), target="III", seed=1, audio=True)
    pop = open_review(folder).of_type("cavitation")[0]["t"]
    _spike(folder, pop)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    view = win.session_view
    win.open_session(folder)
    view.detail.setXRange(0, 17, padding=0)
    qtbot.wait(50)
    assert max(p.pos().y() for p in view.pop_marks.points()) < 410
    lo, hi = view.detail.getViewBox().viewRange()[1]
    assert -50 < lo < 0 and 400 < hi < 500, (lo, hi)


def test_an_electrical_spike_on_a_light_recording_is_drawn_as_data_in_the_review(tmp_path, qtbot):
    """A 150 N spike on a light grade II set (under 10 N) is drawn where it is, as the report draws it:
    the review marked it off the scale (more than twice the span of the rest beyond it), warned,
    and cut the plot at the set's 10 N."""
    folder = _spike(make_session(tmp_path / "ana", kinds=("II",), target="II", r1=10.0, r2=40.0, seed=2), 3.2, "150")
    win, rs, view = _review(qtbot, folder)
    qtbot.wait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_force_spike_150.png"))
    assert len(rs.scale.off) == 0 and rs.warnings == []
    assert view.off_marks.points() is None or len(view.off_marks.points()) == 0
    lo, hi = view.overview.getViewBox().viewRange()[1]
    assert hi >= 150 and view.curve.yData.max() == 150.0
