"""The class chart's x label explains "–" (no score) only when a recording has no score."""

from __future__ import annotations


import numpy as np

from ._scores_chart import _chart, item  # noqa: F401  (the fixture)


def _label_width(a: np.ndarray) -> int:
    """Width in pixels of the x axis's label: the inked columns of the chart's last text line."""
    dark = (a.min(axis=2) < 200)                            # (the label is grey)
    rows = np.flatnonzero(dark.any(axis=1))
    bottom = rows[rows > rows.max() - 14]                    # (the label's line, below the numbers)
    cols = np.flatnonzero(dark[bottom].any(axis=0))
    return int(cols.max() - cols.min())


def test_the_no_score_key_is_only_there_when_a_recording_has_no_score(item):  # noqa: F811
    """Every recording scored, the label still read 'recording (– no score)'."""
    all_scored = _label_width(_chart(item, 6))
    one_unscored = _label_width(_chart(item, 6, unscored=(2,)))
    assert one_unscored > 2 * all_scored            # "recording (– no score)" beside "recording"
