"""The report's force plot labels each comment's dotted line with its text, cut with "…" as the
review cuts it, labels of comments close in time at other heights, on a white ground over R2 or
the force: the dotted lines had no word to tell them for comments."""

from __future__ import annotations

import json
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.ui.review.conftest import make_session  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

LONG = "Good rhythm here, but watch the depth: you drift below R1 towards the end of the set."


def test_comment_lines_are_labelled_with_their_text(monkeypatch, tmp_path):
    import pyqtgraph as pg

    from ui import report
    from ui.report import figures
    folder = make_session(tmp_path / "comm", trainee="Eve")
    meta = json.loads((folder / "session.json").read_text())
    meta["comments"] = [{"t_s": 4.5, "text": "Élan!", "author": "Zoë"},
                        {"t_s": 2.0, "text": LONG, "author": "Dr. Instructor"}]
    (folder / "session.json").write_text(json.dumps(meta))
    seen = []
    real = figures._png

    def png(plot_item, width=1000):
        seen.extend((it.value(), it.label.format, it.label.orthoPos, it.label.fill.color().getRgb())
                    for it in plot_item.items if isinstance(it, pg.InfiniteLine) and it.angle == 90)
        return real(plot_item, width)
    monkeypatch.setattr(figures, "_png", png)
    report.force_figure(report.load_item(folder))
    (t1, text1, pos1, fill1), (t2, text2, pos2, fill2) = sorted(seen)
    assert (t1, t2) == (2.0, 4.5)
    assert text1 == LONG[:29].rstrip() + "…" and text2 == "Élan!"
    assert pos1 != pos2
    assert fill1[:3] == fill2[:3] == (255, 255, 255) and fill1[3] > 128
