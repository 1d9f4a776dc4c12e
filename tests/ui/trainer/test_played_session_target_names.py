"""A played session names who practised in it and what (session.json's ``trainee`` and
``technique``): the trainer started on it or choosing it with S shows them in its status line and
a recording made while playing it keeps them, as ``record --device file:SESSION`` does; a trainee
given (``--trainee``, key N) stays over the session's, and another source chosen takes the
session's away. The status line read "no trainee (press N)" and the recording had trainee ''."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ui.trainer._played_target import OWN_V, played_session
from ui.cli import main

from .conftest import built_trainer

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("played_names")
    return played_session(tmp / "anna_v", tmp, "V", OWN_V, trainee="anna", technique="HVLA T6")


def names(folder: Path) -> tuple[str, str]:
    m = json.loads((folder / "session.json").read_text())
    return m["trainee"], m["technique"]


@pytest.mark.parametrize("flags, shown, kept", [([], "anna (HVLA T6)", ("anna", "HVLA T6")),
                                                (["--trainee", "ben"], "ben", ("ben", "")),
                                                (["--technique", "PA T4"], "anna (PA T4)", ("anna", "PA T4"))],
                         ids=["its own", "trainee given", "technique given"])
def test_the_trainer_started_on_a_played_session_shows_and_keeps_its_trainee(qtbot, session, tmp_path, flags,
                                                                             shown, kept):
    win, eng = built_trainer(qtbot, tmp_path, "--device", f"file:{session}", *flags)
    try:
        win.refresh()
        assert win._status_text().split(" · ")[0] == shown, win._status_text()
        win.worker.start()
        folder = win.start_recording()
        qtbot.waitUntil(lambda: eng.finished, timeout=30_000)
        assert win.stop_recording() == folder
    finally:
        win.close()
    assert names(folder) == kept


def test_a_played_session_chosen_with_s_brings_its_trainee_and_takes_it_away(qtbot, session, tmp_path):
    win, eng = built_trainer(qtbot, tmp_path, "--device", "emulator:grade3")
    try:
        assert win.switch_source(f"file:{session}")
        assert (win.trainee, win.technique) == ("anna", "HVLA T6")
        assert win._status_text().startswith("anna (HVLA T6)")
        assert win.switch_source("emulator:grade3")
        assert (win.trainee, win.technique) == ("", "")
        assert win._status_text().startswith("no trainee (press N)")
        win.set_trainee("ben", "")                          # named with N: kept
        assert win.switch_source(f"file:{session}")
        assert (win.trainee, win.technique) == ("ben", "")
        assert win.switch_source("emulator:grade3")
        assert win.trainee == "ben"
    finally:
        win.close()


@pytest.mark.parametrize("flags, kept", [([], ("anna", "HVLA T6")), (["--trainee", "ben"], ("ben", ""))],
                         ids=["its own", "given"])
def test_record_from_a_played_session_keeps_its_trainee(session, tmp_path, flags, kept):
    out = tmp_path / "again"
    assert main(["record", "--device", f"file:{session}", "--out", str(out), "--quiet", *flags]) == 0
    assert names(out) == kept
