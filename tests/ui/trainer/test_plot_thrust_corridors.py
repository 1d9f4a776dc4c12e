"""Aiming at V (an HVLA thrust), the force plot shades the preload and peak corridors, each
labelled with its range ("preload 100–160 N", "peak 400–650 N"), its axis high enough for the
peak corridor before the first thrust; they follow a new target and go with a grade target or
none. The plot showed neither, so the trainee learnt where the preload should have been held
only after the thrust ("preload 70 N below 100–160 N")."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF

from ui import cmd_screenshot
from ui.cli import build_parser
from ui.trainer.target import Target

from .conftest import ARTIFACTS, REPO, target_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

THRUSTS = REPO / "fixtures" / "thrust_pops.csv"
CORRIDORS = {"preload": (100.0, 160.0), "peak": (400.0, 650.0)}


def _pixel(plot, image, x_s: float, force_n: float):
    """The colour ``image`` (a grab of ``plot``) has at ``x_s`` s and ``force_n`` N of its view."""
    vb = plot.getPlotItem().getViewBox()
    p = plot.mapFromScene(vb.mapViewToScene(QPointF(x_s, force_n)))
    return image.pixelColor(p.x(), p.y())


def _shown_corridors(plot) -> dict:
    """What the force plot shows of the corridors: for each, its band's range and its label's
    text, each label wholly inside the plot, none over another label."""
    vb_rect = plot.getPlotItem().getViewBox().sceneBoundingRect()
    shown, rects = {}, {}
    for name in ("preload", "peak"):
        band, line = plot.corridor_bands[name], plot.lines[name]
        if not band.isVisible():
            assert not line.isVisible()
            continue
        label = line.label
        assert line.isVisible() and label.isVisible()
        rects[name] = label.sceneBoundingRect()
        assert vb_rect.contains(rects[name]), name
        shown[name] = (tuple(band.getRegion()), label.textItem.toPlainText())
    for name in ("R1", "R2"):
        if plot.lines[name].isVisible():
            rects[name] = plot.lines[name].label.sceneBoundingRect()
    names = list(rects)
    assert not any(rects[a].intersects(rects[b]) for i, a in enumerate(names) for b in names[i + 1:])
    return shown


def test_a_v_target_shows_its_corridors_before_the_first_thrust(qtbot):
    win, eng = target_window(qtbot, "V")
    win.refresh()
    qtbot.wait(20)
    plot = win.force_plot
    assert _shown_corridors(plot) == {"preload": ((100.0, 160.0), "preload 100–160 N"),
                                      "peak": ((400.0, 650.0), "peak 400–650 N")}
    bottom, top = plot.getPlotItem().getViewBox().viewRange()[1]
    assert bottom <= 0.0 and top >= 1.1 * 650.0           # (room above the peak corridor, no thrust yet)
    image = plot.grab().toImage()
    preload, peak, free = (_pixel(plot, image, -1.0, f) for f in (130.0, 525.0, 300.0))
    assert free.name() == "#ffffff"
    # each shaded in a colour of its own, neither the 0–R1 sky blue nor the R1–R2 orange
    for colour in (preload, peak):
        assert colour.name() != "#ffffff"
    assert preload != peak
    r2_band = _pixel(plot, image, -1.0, 80.0)
    assert preload != r2_band and peak != r2_band
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "trainer_thrust_corridors_empty.png"))

    win.set_target(Target("V", None, None, (50.0, 80.0), (300.0, 500.0)))     # (key T's new corridors)
    win.refresh()
    assert _shown_corridors(plot) == {"preload": ((50.0, 80.0), "preload 50–80 N"),
                                      "peak": ((300.0, 500.0), "peak 300–500 N")}
    win.set_target(Target.parse("III"))
    win.refresh()
    assert _shown_corridors(plot) == {}
    assert plot.band_target.isVisible()                     # (the grade's own zone instead)
    win.set_target(Target.parse("V"))
    win.set_target(None)                                    # (a new source's target cleared)
    win.refresh()
    assert _shown_corridors(plot) == {}


@pytest.mark.parametrize("size", [None, "800x480"])
def test_the_screenshot_of_thrusts_aimed_at_v_shows_the_corridors(tmp_path, size):
    out = tmp_path / "v.png"
    argv = ["screenshot", "--replay", str(THRUSTS), "--target", "V", "--at", "8", "-o", str(out)]
    win = cmd_screenshot.render(build_parser("screenshot").parse_args(argv + (["--size", size] if size else [])))
    try:
        shot = win.grab()                                   # (as the command saves it)
        plot = win.force_plot
        assert _shown_corridors(plot) == {name: (c, f"{name} {c[0]:g}–{c[1]:g} N") for name, c in CORRIDORS.items()}
        image = plot.grab().toImage()
        assert _pixel(plot, image, -9.5, 525.0).name() != "#ffffff"    # (before the thrusts: the band alone)
        ARTIFACTS.mkdir(exist_ok=True)
        shot.save(str(ARTIFACTS / f"trainer_thrust_corridors_{size or 'default'}.png"))
    finally:
        win.close()


def test_the_thrust_panel_shades_the_corridors_in_the_force_plots_colours(qtbot):
    win, eng = target_window(qtbot, "V")
    win.refresh()
    force, thrust = win.force_plot, win.thrust_panel.plot
    colours = [item.opts["fillBrush"].color().rgba() for item in thrust.corridors]
    assert colours == [force.corridor_bands[name].brush.color().rgba() for name in ("preload", "peak")]
    assert colours[0] != colours[1]
