"""The R1 and R2 labels stay readable where the force passes through them: a grade III-- set
whose troughs cross R1 at the plot's left edge drew its orange line through the letters "R1"
(tremor, spikes and III++ recordings did the same)."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, REPO, Feeder, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _label_pixels(plot, name: str, hidden: list) -> dict:
    """The pixels of the ``name`` line's label, with the items in ``hidden`` hidden."""
    for item in hidden:
        item.hide()
    img = plot.grab().toImage()
    for item in hidden:
        item.show()
    rect = plot.mapFromScene(plot.lines[name].label.sceneBoundingRect()).boundingRect()
    return {(x, y): img.pixel(x, y) for x in range(rect.left(), rect.right())
            for y in range(rect.top(), rect.bottom())}


@pytest.mark.parametrize("fixture,at", [("lumbar_grade3_mm.csv", 14.0), ("tremor_grade3.csv", 13.9)])
def test_the_force_does_not_cross_out_the_r1_label(qtbot, fixture, at):
    win, eng = thrust_tab_window(qtbot, *schemes())
    Feeder(eng, win, REPO / "fixtures" / fixture).until(at)
    qtbot.wait(20)
    plot = win.force_plot
    lines = [plot.trace, *plot.cycle_items.values()]
    alone = _label_pixels(plot, "R1", lines)
    shown = _label_pixels(plot, "R1", [])
    assert shown != _label_pixels(plot, "R1", [plot.lines["R1"]])    # (the force does pass there)
    # the letters' own pixels (dark, drawn in the trace's grey) are the same over the force
    letters = [p for p, c in alone.items() if (c & 0xFF) < 0x90]
    assert len(letters) > 10
    changed = [max(abs((shown[p] >> k & 0xFF) - (alone[p] >> k & 0xFF)) for k in (0, 8, 16)) for p in letters]
    assert max(changed) < 48
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / f"trainer_r1_label_over_{fixture[:-4]}.png"))
