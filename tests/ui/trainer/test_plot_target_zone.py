"""The shaded target zone is where the grader counts a crest on target: for IV-- from R1 (a
crest below R1 grades I or II), for III++ up to the beyond-R2 limit (a crest past it is flagged,
never on target); for II from half of R1 (a lower crest cannot make II's large amplitude).
It was shaded a modifier's width either side of its position (IV-- 30-50 N
with R1 at 40 N, III++ 110-130 N with the limit at 128 N)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from ui.trainer.target import Target

from .conftest import ARTIFACTS, DEMO, Feeder, target_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

TARGETS = ["I", "II"] + [g + m for g in ("III", "IV") for m in ("--", "-", "", "+", "++")]


@pytest.mark.parametrize("text", TARGETS)
def test_the_zone_is_where_a_crest_is_graded_on_target(text):
    scheme = GradingScheme(40.0, 120.0).with_target(text)
    low, high = Target.parse(text).crest_zone(scheme)
    large = text.startswith(("II", "III")) and not text.startswith("IV")
    for crest in np.arange(0.25, 160.0, 0.5):                  # (never on an edge)
        amplitude = crest if large else 0.1 * crest           # (large: from a trough at 0 N, the most there is)
        grade, modifier, _, beyond = scheme.grade(crest, amplitude)
        assert scheme.on_target(grade, modifier, beyond) == (low < crest < high), crest


@pytest.mark.parametrize(("text", "zone"), [("IV--", (40.0, 50.0)), ("III++", (110.0, 128.0)),
                                            ("III", (70.0, 90.0)), ("II", (20.0, 40.0)),
                                            ("I", (0.0, 40.0))])
def test_the_window_shades_that_zone(qtbot, text, zone):
    win, eng = target_window(qtbot, text)
    Feeder(eng, win, DEMO).until(58.0)
    band = win.force_plot.band_target
    assert band.isVisible()
    assert band.getRegion() == pytest.approx(zone)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / f"trainer_target_zone_{text}.png"))
