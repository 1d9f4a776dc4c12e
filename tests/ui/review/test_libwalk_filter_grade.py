"""A grade typed in the review's filter keeps the sessions of that target, whole words only:
"V" kept IV, IV- and IV+ too, and "HVLA" (which --target takes for V) found nothing. A grade
typed without a modifier keeps each of its modifiers ("III" kept III alone, not III+ or III-),
and what is typed still finds a trainee whose name begins so ("i", "Iv" on the way to "Ivan"
emptied the table or kept the IV targets alone)."""

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


@pytest.fixture(scope="module")
def ivan(tmp_path_factory):
    """Ivan's sessions of III, III+, III-, IV and IV+, and one of Eva's at IV."""
    root = tmp_path_factory.mktemp("ivan")
    for i, target in enumerate(("III", "III+", "III-", "IV", "IV+")):
        make_session(root / f"ivan-{i}", trainee="Ivan", target=target, created=f"2026-10-0{i + 1}T10:00:00",
                     seed=i, cycles=3, events=False)
    make_session(root / "eva-iv", trainee="Eva", target="IV", created="2026-10-08T10:00:00", seed=7, cycles=3,
                 events=False)
    return root


def _kept(win, typed):
    win.filter.setText(typed)
    return sorted(Path(win.proxy.index(i, 0).data(FOLDER_ROLE)).name for i in range(win.proxy.rowCount()))


def test_a_grade_typed_keeps_that_target_as_a_whole_word(targets, qtbot):
    win = ReviewWindow(targets)
    qtbot.addWidget(win)
    assert _kept(win, "V") == ["t-v"]
    assert _kept(win, "hvla") == ["t-v"]
    assert _kept(win, "HVLA") == ["t-v"]
    assert _kept(win, "IV") == ["t-iv", "t-ivm", "t-ivp"]       # (each modifier of IV)
    assert _kept(win, "iv+") == ["t-ivp"]
    assert _kept(win, "eva") == ["t-iii", "t-iv", "t-ivm", "t-ivp", "t-v"]      # (a name: as before)
    assert _kept(win, "2026-10-02") == ["t-ivm"]
    assert len(_kept(win, "")) == 5


def test_a_grade_without_modifier_keeps_each_modifier_and_typing_a_name_finds_it(ivan, qtbot):
    win = ReviewWindow(ivan)
    qtbot.addWidget(win)
    everyone = ["eva-iv", "ivan-0", "ivan-1", "ivan-2", "ivan-3", "ivan-4"]
    ivans = everyone[1:]
    assert _kept(win, "III") == ["ivan-0", "ivan-1", "ivan-2"]
    assert _kept(win, "III-") == ["ivan-2"]
    assert _kept(win, "i") == ivans                            # (typing "Ivan": each letter keeps his)
    assert _kept(win, "Iv") == everyone                        # (his, and Eva's IV)
    assert _kept(win, "Iva") == ivans
    assert _kept(win, "Ivan") == ivans
    assert _kept(win, "V") == []                               # (no IV, and no "Ivan")
    assert _kept(win, "eva") == ["eva-iv"]
