"""The class report's score chart keeps its recording numbers apart: under 64 recordings they
ran together into one line of digits ("1011121314"); now every 5th is numbered (every one
still ticked), and a recording without a score is marked "–" in the chart itself."""

from __future__ import annotations

import numpy as np
import pytest

from ._scores_chart import _chart, item  # noqa: F401  (the fixture)


def _runs(cols: np.ndarray, gap: int = 4) -> list[int]:
    """Widths of the runs of inked columns, runs closer than ``gap`` columns taken as one."""
    x = np.flatnonzero(cols)
    if not len(x):
        return []
    breaks = np.flatnonzero(np.diff(x) >= gap)
    starts, ends = np.r_[x[0], x[breaks + 1]], np.r_[x[breaks], x[-1]]
    return (ends - starts + 1).tolist()


def _label_runs(a: np.ndarray) -> list[int]:
    """The widths of the x axis's numbers: the ink in the rows between the axis line (the row
    inked nearly across the figure, lowest down) and the axis title below them."""
    ink = a.min(axis=2) < 200
    per_row = ink.sum(axis=1)
    axis = int(np.flatnonzero(per_row > 0.8 * a.shape[1])[-1])
    rows = np.flatnonzero(per_row[axis + 1:]) + axis + 1
    band = rows[:np.argmax(np.diff(rows) > 3) + 1] if np.any(np.diff(rows) > 3) else rows
    return _runs(ink[band].any(axis=0))


@pytest.mark.parametrize("n", [64, 150])
def test_the_recording_numbers_of_a_large_class_stay_apart(item, n):
    runs = _label_runs(_chart(item, n))
    assert len(runs) >= 10                                  # numbered along the whole axis
    assert max(runs) <= 30, runs                            # each a number alone (two or three digits)


def test_a_small_class_numbers_every_recording(item):
    assert len(_label_runs(_chart(item, 8))) == 8


def test_a_recording_without_a_score_is_marked_in_the_chart(item):
    """Recording 4 of 64 has no score: its number is not written under the axis (every 5th is),
    and a dark grey "–" stands where its bar would be."""
    a, b = _chart(item, 64), _chart(item, 64, unscored={3})
    grey = lambda img: np.all((img >= 30) & (img <= 110), axis=2)   # noqa: E731  (the mark's (60, 60, 60))
    assert (grey(b) & ~grey(a)).sum() >= 8
