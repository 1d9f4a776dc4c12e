"""The review's force plot marks the stretches of a recording during which the trainer's screen
graded with other settings than the recording's own (session.json's ``extra.screen_changes``):
a hatched region from each such change to the next change or the end of the recording, with
the settings in words at its start, in the overview too. The session details listed the
changes, but an instructor scrubbing through the force did not see where the trainee was
looking at other grades."""

from __future__ import annotations

import json
from pathlib import Path

import pyqtgraph as pg
import pytest

from .conftest import make_session, shown_review
from ._screen_changes import _detail, _recorded_with_screen_changes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _marked(plot) -> list[tuple[float, float, str | None]]:
    """``(start, end, label)`` of each fixed region on ``plot`` (label: the text at its start)."""
    out = []
    for r in plot.getPlotItem().items:
        if isinstance(r, pg.LinearRegionItem) and not r.movable:
            labels = [c.toPlainText() for c in r.lines[0].childItems() if isinstance(c, pg.InfLineLabel)]
            out.append((*r.getRegion(), labels[0] if labels else None))
    return sorted(out)


def test_the_force_plot_marks_where_the_screen_graded_with_other_settings(qtbot, tmp_path):
    folder = _recorded_with_screen_changes(tmp_path / "root" / "ana")
    written = json.loads((folder / "session.json").read_text())["extra"]["screen_changes"]
    win = shown_review(qtbot, tmp_path / "root")
    view = win.session_view
    win.open_session(folder)
    # from the change to IV- to the change back to the recording's own; nothing after that
    ((a, b, label),) = _marked(view.detail)
    assert a == pytest.approx(written[0]["t_s"]) and b == pytest.approx(written[1]["t_s"])
    assert label == "screen: target IV-, R1 30 N, R2 100 N"
    assert [(a, b) for a, b, _ in _marked(view.overview)] == [(a, b)]
    # the label at the stretch's start, inside the plot, over the hatching
    view.seek((a + b) / 2)
    qtbot.wait(50)
    x0, x1 = view.detail.viewRange()[0]
    assert x0 <= a < b <= x1
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_screen_change_marks.png"))

    # one session then another: the marks are the session's own
    plain = make_session(tmp_path / "root" / "plain", created="2025-03-02T10:00:00")
    win.open_session(plain)
    assert _marked(view.detail) == [] and _marked(view.overview) == []


def test_each_change_is_marked_to_the_next_and_the_last_to_the_end(qtbot, tmp_path):
    """Two changes to other settings, none back: two stretches side by side, each with its own
    settings, the second to the end of the recording."""
    folder = _recorded_with_screen_changes(tmp_path / "root" / "ana")
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    meta["extra"]["screen_changes"] = [{"t_s": 7.3, "target_detail": _detail("V"), "r1_n": None, "r2_n": None},
                                       {"t_s": "soon", "target_detail": {}},
                                       {"t_s": 2.0, "target_detail": {}, "r1_n": 30, "r2_n": 100}]
    mp.write_text(json.dumps(meta))
    win = shown_review(qtbot, tmp_path / "root")
    view = win.session_view
    rs = win.open_session(folder)
    end = rs.inp.duration_s
    got = _marked(view.detail)
    assert [(round(a, 3), round(b, 3)) for a, b, _ in got] == [(2.0, 7.3), (7.3, round(end, 3))]
    assert [t for *_, t in got] == ["screen: no target, R1 30 N, R2 100 N",
                                    "screen: target V, preload 100–160 N, peak 400–650 N, no calibration"]


def test_a_session_without_screen_changes_has_no_such_mark(qtbot, tmp_path):
    folder = make_session(tmp_path / "root" / "s1")
    win = shown_review(qtbot, tmp_path / "root")
    win.open_session(folder)
    assert _marked(win.session_view.detail) == [] and _marked(win.session_view.overview) == []


def _purple(img, x: int) -> bool:
    """Whether column ``x`` of ``img`` holds a pixel of the screen changes' hatching (purple:
    more red than green, more blue than red; the grades, R1/R2, the trace and the comment lines
    are not)."""
    from PySide6.QtGui import QColor
    for y in range(img.height()):
        c = QColor(img.pixel(x, y))
        if c.red() > c.green() + 8 and c.blue() > c.red() + 15:
            return True
    return False


def test_the_reports_force_figure_marks_them_as_the_review_does(tmp_path, capsys, monkeypatch):
    """The HTML report's force figure: the same stretch hatched from the change to IV- to the change
    back, with the same words at its start; none in the figure of a recording without changes."""
    import base64
    import re

    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QImage

    from ui.cli import main
    from ui.report import figures
    folder = _recorded_with_screen_changes(tmp_path / "root" / "ana")
    written = json.loads((folder / "session.json").read_text())["extra"]["screen_changes"]
    t0, t1 = written[0]["t_s"], written[1]["t_s"]
    drawn, real = [], figures._png

    def png(plot_item, width=1000):
        out = real(plot_item, width)             # (laid out by then: where a time falls is known)
        vb = plot_item.getViewBox()
        box = plot_item.sceneBoundingRect()      # (exported scaled to ``width`` pixels)
        drawn.append(([(*r.getRegion(), [c.toPlainText() for c in r.lines[0].childItems()
                                           if isinstance(c, pg.InfLineLabel)])
                       for r in plot_item.items if isinstance(r, pg.LinearRegionItem)],
                      [(vb.mapViewToScene(QPointF(t, 0)).x() - box.left()) * width / box.width() for t in (t0, t1)]))
        return out
    monkeypatch.setattr(figures, "_png", png)
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    (regions, (xa, xb)), *_ = drawn                    # (the force figure is the section's first)
    ((a, b, labels),) = regions
    assert (a, b) == (pytest.approx(t0), pytest.approx(t1))
    assert labels == ["screen: target IV-, R1 30 N, R2 100 N"]
    text = out.read_text(encoding="utf-8")
    src = re.search(r'<img alt="force of [^"]*" src="data:image/png;base64,([^"]+)"', text).group(1)
    img = QImage.fromData(base64.b64decode(src), "PNG").convertToFormat(QImage.Format.Format_RGB32)
    ARTIFACTS.mkdir(exist_ok=True)
    img.save(str(ARTIFACTS / "report_screen_change_marks.png"))
    # hatched between the two times, to three pixels (0.05 s), and nowhere else
    cols = [x for x in range(img.width()) if _purple(img, x)]
    assert cols and abs(cols[0] - xa) <= 3 and abs(cols[-1] - xb) <= 3, (cols[0], cols[-1], xa, xb)

    drawn.clear()
    plain = make_session(tmp_path / "plain")
    assert main(["report", str(plain), "-o", str(out)]) == 0
    assert drawn[0][0] == []
    src = re.search(r'<img alt="force of [^"]*" src="data:image/png;base64,([^"]+)"',
                    out.read_text(encoding="utf-8")).group(1)
    img = QImage.fromData(base64.b64decode(src), "PNG").convertToFormat(QImage.Format.Format_RGB32)
    assert not any(_purple(img, x) for x in range(0, img.width(), 2))
    capsys.readouterr()


def test_compare_marks_them_on_the_side_of_the_recording_that_has_them(qtbot, tmp_path):
    """Compare: the recording with screen changes has the same hatched stretch and words as in the
    Session tab; the one beside it, without, has none."""
    folder = _recorded_with_screen_changes(tmp_path / "root" / "ana")
    written = json.loads((folder / "session.json").read_text())["extra"]["screen_changes"]
    plain = make_session(tmp_path / "root" / "plain", created="2025-03-02T10:00:00")
    win = shown_review(qtbot, tmp_path / "root")
    win.compare(folder, plain)
    qtbot.wait(50)

    ((a, b, label),) = _marked(win.compare_view.plots[0])
    assert (a, b) == (pytest.approx(written[0]["t_s"]), pytest.approx(written[1]["t_s"]))
    assert label == "screen: target IV-, R1 30 N, R2 100 N"
    assert _marked(win.compare_view.plots[1]) == []
