"""Progress names each run of sessions' target under its plots and breaks their lines where the
target changes: Émile's II, II, III, III drew one "% on target" line 0 → 100 → 100 → 0, week 3's
new, harder target read as nothing new, and only the table below named the targets."""

from __future__ import annotations

import pyqtgraph as pg
import pytest

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

# (folder, target, what was done): week 1 misses II, week 4 misses III
WEEKS = [("w1", "II", ("I",)), ("w2", "II", ("II",)), ("w3", "III", ("III",)), ("w4", "III", ("II",))]


def _lines(item) -> list[list[float]]:
    """The sessions (x) each drawn line of a series joins, as painted."""
    path = item.curve.getPath()
    out = []
    for i in range(path.elementCount()):
        e = path.elementAt(i)
        if e.isMoveTo() or not out:
            out.append([])
        out[-1].append(round(e.x, 6))
    return out


def test_progress_shows_where_the_target_changes(tmp_path, qtbot):
    for i, (folder, target, kinds) in enumerate(WEEKS):
        make_session(tmp_path / folder, trainee="Émile Dubois", created=f"2026-02-{2 + 7 * i:02d}T10:00:00",
                     target=target, kinds=kinds, seed=i, cycles=2)
    win = shown_review(qtbot, tmp_path)
    win.show_progress("Émile Dubois")
    pv = win.progress_view
    pv.glw.grab()                                      # (painted: the axes draw their names)
    on_target = pv.glw.getItem(0, 0)
    assert pv.series["on_target_pct"] == [0.0, 100.0, 100.0, 0.0]
    line, = on_target.listDataItems()
    assert _lines(line) == [[1.0, 2.0], [3.0, 4.0]]      # (not 2 → 3: II to III)
    for k in range(4):
        p = pv.glw.getItem(k // 2, k % 2)
        assert p.getAxis("bottom").drawn == ["target II", "target III"]
        changes = [i.value() for i in p.items if isinstance(i, pg.InfiniteLine)]
        assert changes == [2.5]
    cv = pv.glw.getItem(0, 1)
    assert all(_lines(item) == [[1.0, 2.0], [3.0, 4.0]] for item in cv.listDataItems())
