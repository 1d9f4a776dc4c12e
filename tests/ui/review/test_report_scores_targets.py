"""The class report's score chart names each bar's target and marks where a trainee's target
changes: Émile's II, II, III, III (0, 100, 100, 0 %) read as a fall back in week 4 when it was
a new, harder target, only the overview table naming the targets."""

from __future__ import annotations

import copy

import pyqtgraph as pg
import pytest

from ui import report
from ui.report import score_chart

from .conftest import make_session


@pytest.fixture(scope="module")
def item(tmp_path_factory):
    return report.load_item(make_session(tmp_path_factory.mktemp("s") / "s", cycles=3))


def _items(item, plan):
    """Copies of ``item``: one a (trainee, target, score) of ``plan``."""
    out = []
    for i, (who, target, score) in enumerate(plan):
        c = copy.copy(item)
        c.trainee, c.target = who, target
        c.inp = copy.copy(item.inp)
        c.inp.meta = copy.copy(item.inp.meta)
        c.inp.meta.created = f"2026-02-{2 + i:02d}T10:00:00"
        c.stats = dict(item.stats, score_pct=score)
        out.append(c)
    return out


def _drawn(items):
    """The chart's labels under its bars as drawn, and where it draws a line between two bars."""
    gw, p = report._scores_plot(items)
    score_chart._png(p)
    labels = list(p.getAxis("bottom").drawn)
    changes = [i.value() for i in p.items if isinstance(i, pg.InfiniteLine)]
    report._dispose(gw)
    return labels, changes


def test_each_bar_names_its_target(item):
    plan = [("Émile Dubois", "II", 0.0), ("Émile Dubois", "II", 100.0), ("Émile Dubois", "III", 100.0),
            ("Émile Dubois", "III", 0.0), ("Dmitri", "III+", 100.0), ("Dmitri", "V", 0.0), ("Zoë", None, None)]
    labels, changes = _drawn(_items(item, plan))
    assert [label.split("\n")[-1] for label in labels] == [
        "target II", "target II", "target III", "target III", "target III+", "target V", "no target"]
    # a dashed line where a trainee's target changes (not between two trainees)
    assert changes == [1.5, 4.5]


def test_a_large_class_names_the_targets_along_its_labels(item):
    """Turned upright (too many for a line each), a label still ends with its bar's target."""
    plan = [(f"Trainee {i // 4}", "III" if i % 4 < 2 else "IV", 50.0) for i in range(40)]
    labels, changes = _drawn(_items(item, plan))
    assert labels and all(label.endswith(", target III") or label.endswith(", target IV") for label in labels)
    assert len(changes) == 10
