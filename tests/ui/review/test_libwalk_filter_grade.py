"""A grade typed in the review's filter keeps the sessions of that target exactly: "V" kept IV,
IV- and IV+ too, and "HVLA" (which --target takes for V) found nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.review.window import FOLDER_ROLE, ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def targets(tmp_path_factory):
    root = tmp_path_factory.mktemp("targets")
    for i, (name, target) in enumerate((("t-iv", "IV"), ("t-ivm", "IV-"), ("t-ivp", "IV+"), ("t-v", "V"),
                                        ("t-iii", "III"))):
        make_session(root / name, trainee="Eva", target=target, created=f"2026-10-0{i + 1}T10:00:00", seed=i,
                     cycles=3, events=False)
    return root


def _kept(win, typed):
    win.filter.setText(typed)
    return sorted(Path(win.proxy.index(i, 0).data(FOLDER_ROLE)).name for i in range(win.proxy.rowCount()))


def test_a_grade_typed_keeps_that_target_only(targets, qtbot):
    win = ReviewWindow(targets)
    qtbot.addWidget(win)
    assert _kept(win, "V") == ["t-v"]
    assert _kept(win, "hvla") == ["t-v"]
    assert _kept(win, "HVLA") == ["t-v"]
    assert _kept(win, "IV") == ["t-iv"]
    assert _kept(win, "iv+") == ["t-ivp"]
    assert _kept(win, "eva") == ["t-iii", "t-iv", "t-ivm", "t-ivp", "t-v"]      # (a name: as before)
    assert _kept(win, "2026-10-02") == ["t-ivm"]
    assert len(_kept(win, "")) == 5
