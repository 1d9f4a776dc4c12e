"""A finished cycle's line stands out from the band under it: at least 3:1 (the WCAG 2.1
contrast for graphics) at every crossing of the plot, while its colour still tells the grade
(Okabe-Ito). Thin lines of a band's own hue read 1.5:1 (grade I on the I/II target band,
III on a III target zone)."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, DEMO, Feeder, target_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _luminance(c) -> float:
    def lin(v):
        v /= 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = c.red(), c.green(), c.blue()
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def _contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _crossings(plot):
    """For each place a cycle's line crosses a pixel column of the plot (every 4th column), the
    best contrast of its pixels against what is drawn there without it."""
    vb = plot.getPlotItem().getViewBox()
    box = plot.mapFromScene(vb.sceneBoundingRect()).boundingRect()
    plot.trace.hide()
    with_cycles = plot.grab().toImage()
    for item in plot.cycle_items.values():
        item.hide()
    without = plot.grab().toImage()
    for item in (plot.trace, *plot.cycle_items.values()):
        item.show()
    found = []
    for x in range(box.left() + 3, box.right() - 3, 4):
        run = []
        for y in range(box.top() + 3, box.bottom() - 3):
            a, b = with_cycles.pixelColor(x, y), without.pixelColor(x, y)
            if a != b:
                run.append(_contrast(a, b))
            elif run:
                found.append((x, y, max(run)))
                run = []
    return found


@pytest.mark.parametrize(("target", "at"), [("I", 9.0), ("II", 20.0), ("III-", 28.0), ("III+", 37.0), ("IV++", 58.0)])
def test_cycle_lines_read_on_their_bands(qtbot, target, at):
    win, eng = target_window(qtbot, target)
    Feeder(eng, win, DEMO).until(at)
    assert win.force_plot.drawn["grades"]                    # cycles drawn
    found = _crossings(win.force_plot)
    assert len(found) > 20
    worst = min(found, key=lambda f: f[2])
    assert worst[2] >= 3.0, worst
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / f"trainer_cycle_contrast_{target}.png"))
