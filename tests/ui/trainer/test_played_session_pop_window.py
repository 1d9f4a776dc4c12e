"""A played session recorded with a pop window of its own (session.json's ``extra.pop_window_ms``)
is tied live with that window, as ``replay`` ties its pops, by ``record --device file:FOLDER`` and
by the trainer (started on it, or given it as its source), and the new recording keeps it; the
window given on the command line wins, and a source after it has the window from before. Here a
pop 200 ms after the thrust's peak, kept 250 ms: played, it was a pop of no thrust (150 ms)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests._cli_in_process import gc_in_process
from tests._pop_window import edit_extra, pop_session, tied

from .conftest import built_trainer

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _kept(folder: Path):
    return json.loads((folder / "session.json").read_text())["extra"].get("pop_window_ms")


def _stored(folder: Path) -> list[dict]:
    return [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("played_window")
    return edit_extra(pop_session(tmp / "anna", tmp), pop_window_ms=250)


@pytest.mark.parametrize("flags, window, pops", [([], 250, ([0], [1])), (["--pop-window", "150"], None, ([None], [0]))],
                         ids=["its own", "given"])
def test_record_from_a_played_session_ties_with_its_pop_window(played, tmp_path, capfd, flags, window, pops):
    out = tmp_path / "again"
    r = gc_in_process(capfd, "record", "--device", f"file:{played}", "--out", out, *flags, "--quiet")
    assert r.returncode == 0, r.stderr
    assert _kept(out) == window
    assert tied(_stored(out)) == pops


def _record_to_end(qtbot, win, eng) -> Path:
    folder = win.start_recording()
    qtbot.waitUntil(lambda: eng.finished, timeout=30_000)
    assert win.stop_recording() == folder
    return folder


@pytest.mark.parametrize("flags, window, live", [([], 250, [0]), (["--pop-window", 150], None, [None])],
                         ids=["its own", "given"])
def test_the_trainer_started_on_a_played_session_ties_with_its_pop_window(qtbot, played, tmp_path, flags,
                                                                          window, live):
    win, eng = built_trainer(qtbot, tmp_path, "--device", f"file:{played}", *flags)
    try:
        win.worker.start()
        folder = _record_to_end(qtbot, win, eng)
    finally:
        win.close()
    assert [p.thrust for p in eng.pops] == live
    assert _kept(folder) == window


def test_a_played_session_chosen_as_source_brings_its_pop_window_and_takes_it_away(qtbot, played, tmp_path):
    win, eng = built_trainer(qtbot, tmp_path, "--device", "emulator:grade3", "--r1", 40, "--r2", 120)
    try:
        assert eng.thrust_scheme.pop_window_ms == 150
        assert win.switch_source(f"file:{played}")
        folder = _record_to_end(qtbot, win, eng)
        assert [p.thrust for p in eng.pops] == [0]
        assert win.switch_source("emulator:grade3")
        assert eng.thrust_scheme.pop_window_ms == 150          # the emulator's: the window from before
    finally:
        win.close()
    assert _kept(folder) == 250
