"""The class report's score chart says whose each bar is: under it its number, as the report's
sections are numbered, and its trainee, with the date of each of a trainee's several
recordings; it had the numbers alone, and whose bar was whose was read off the overview."""

from __future__ import annotations

import os
import re

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import ui.report.score_chart  # noqa: E402
from tests.ui.review.conftest import make_session  # noqa: E402
from ui.cli import main  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

LONG = "Bartholomew Featherstonehaugh-Smythe"


@pytest.fixture
def charts(monkeypatch):
    """The labels under each score chart drawn: what its x axis wrote at its ticks."""
    drawn = []
    png = ui.report.score_chart._png

    def spy(plot_item, width=1000):
        out = png(plot_item, width)
        if "score by recording" in plot_item.titleLabel.text:
            ax = plot_item.getAxis("bottom")
            # (an axis of numbers alone wrote its ticks' strings)
            drawn.append(list(getattr(ax, "drawn", None) or [t for _, t in ax._tickLevels[0]]))
        return out

    monkeypatch.setattr(ui.report.score_chart, "_png", spy)
    return drawn


def _sections(page: str) -> dict[int, str]:
    """Each recording section's trainee by its number ("" for none)."""
    out = {}
    for sec in page.split('<section class="recording"')[1:]:
        n = int(re.search(r"<h2>(\d+)\. ", sec).group(1))
        m = re.search(r"<dt>trainee</dt><dd>([^<]*)</dd>", sec)
        out[n] = m.group(1) if m and m.group(1) != "–" else ""
    return out


def test_a_small_class_chart_names_the_trainee_under_each_number(tmp_path, charts):
    root = tmp_path / "class"
    for i, (who, day) in enumerate((("ana", "08"), ("chen", "03"), (LONG, "02"), ("", "04"), ("ana", "01"))):
        make_session(root / f"s{i}", trainee=who, created=f"2025-03-{day}T10:00:00", seed=i, cycles=3)
    page = tmp_path / "r.html"
    assert main(["report", "--class", str(root), "-o", str(page)]) == 0
    (labels,) = charts
    # (in the report's order: ana's two by date, then by name, those without a trainee last)
    # (and each bar's target last: make_session's III)
    assert labels[:2] == ["1\nana\n2025-03-01\ntarget III", "2\nana\n2025-03-08\ntarget III"]   # (it read "1", "2", ...)
    num, name, target = labels[2].split("\n")
    assert num == "3" and name.endswith("…") and LONG.startswith(name[:-1]) and len(name) >= 10
    assert target == "target III"
    assert labels[3:] == ["4\nchen\ntarget III", "5\nno trainee\ntarget III"]
    # the chart's numbers are the sections' ones
    assert _sections(page.read_text(encoding="utf-8")) == {1: "ana", 2: "ana", 3: LONG, 4: "chen", 5: ""}


def test_a_large_class_chart_turns_its_labels_upright(tmp_path, charts):
    """14 recordings of two trainees, too many for a name across each bar's room: "n name, date"
    on one line each, the numbers those of the sections."""
    root = tmp_path / "class"
    for i in range(14):
        make_session(root / f"s{i:02d}", trainee="zoë" if i % 2 else LONG, created=f"2025-03-{i + 1:02d}T10:00:00",
                     seed=i, cycles=2)
    page = tmp_path / "r.html"
    assert main(["report", "--class", str(root), "-o", str(page)]) == 0
    (labels,) = charts
    sections = _sections(page.read_text(encoding="utf-8"))
    assert len(labels) == 14                       # (every one: a line's height apart)
    for label in labels:
        n, who, day = re.fullmatch(r"(\d+) (.+), (2025-03-\d\d), target III", label).groups()
        full = sections[int(n)]
        assert who == full or (who.endswith("…") and full.startswith(who[:-1])), label
    assert re.fullmatch(r"1 Bartholomew.*…, 2025-03-01, target III", labels[0])
    assert labels[-1] == "14 zoë, 2025-03-14, target III"
