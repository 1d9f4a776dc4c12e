"""A serial sensor unplugged and plugged back, as the trainer shows it (the emulator on a real
pseudo-terminal): the samples it did not send while away are the gap marked 'disconnected', not
'dropped' in the status line (it read 'dropped 5110' after a reconnect); the banner says in
one short line that the sensor is away and is being looked for, the serial library's words in
its tooltip (they ran over three lines); the grade panel greys the last grade and says it is the
last before the sensor was lost (it stayed as if current)."""

from __future__ import annotations

import time

import pytest

from firmware_bridge.emulator import PtyEmulator
from firmware_bridge.serial_source import SerialSource
from ui.trainer.engine import Engine

from .conftest import schemes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

AWAY_SAMPLES = 1500          # 1.5 s at 1 kHz


def _wait_until(cond, timeout_s: float = 30.0) -> None:
    """Process Qt's events until ``cond()`` holds (a bound for a broken machine, not a wait)."""
    from PySide6.QtTest import QTest
    deadline = time.monotonic() + timeout_s
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        QTest.qWait(10)


def _panel(win) -> dict:
    p = win.grade_panel
    return {"grade": p.grade.text(), "grade_style": p.grade.styleSheet(), "caption": p.caption.text(),
            "value_styles": [v.styleSheet() for v in p.values.values()]}


@pytest.fixture(scope="module")
def unplugged(qapp, tmp_path_factory):
    """A trainer on an emulated serial sensor, grading, unplugged until it has missed
    :data:`AWAY_SAMPLES` and plugged back until its data flows again for a second; what the
    window showed while grading (``before``), while the sensor was away (``away``) and once it
    was back (``back``). One run serves every test here: none of them acts on the trainer."""
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.window import TrainerWindow
    tmp_path = tmp_path_factory.mktemp("unplug")
    mp = pytest.MonkeyPatch()           # (private_dirs is per test: this runs before it)
    mp.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    mp.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    em = PtyEmulator(tmp_path / "s.pty", "grade3", 1000)
    em.start()
    eng = Engine(*schemes())
    worker = AcquisitionWorker(SerialSource(str(em.link)), eng)
    win = TrainerWindow(eng, worker, record_root=tmp_path / "rec")
    win.show()
    worker.start()
    try:
        _wait_until(lambda: len(eng.cycles) >= 2)
        win.refresh()
        before = _panel(win)
        em.unplug()
        _wait_until(lambda: eng.disconnected is not None)
        away_from = em.sent
        _wait_until(lambda: em.sent >= away_from + AWAY_SAMPLES)
        win.refresh()
        away = {**_panel(win), "banner_visible": win.banner.isVisible(), "banner": win.banner.text(),
                "tooltip": win.banner.toolTip(), "port": win.worker.source.spec.split(":", 1)[1]}
        em.open_pty()
        _wait_until(lambda: eng.disconnected is None)
        back_at = eng.force.last_t
        _wait_until(lambda: eng.force.last_t > back_at + 1.0)
        win.refresh()
        back = {**_panel(win), "dropped": eng.dropped, "status": win.status.text(),
                "banner_visible": win.banner.isVisible(), "gap_reasons": [g.reason for g in eng.gaps]}
        yield before, away, back
    finally:
        win.close()
        em.stop()
        mp.undo()


def test_the_time_away_is_not_counted_as_dropped_samples(unplugged):
    _, _, back = unplugged
    # (on a busy machine the in-process emulator may drop a frame of its own: a few samples)
    assert back["dropped"] < 100, back["dropped"]
    assert f"dropped {back['dropped']}" in back["status"]
    assert back["gap_reasons"].count("disconnected") == 1


def test_the_banner_says_plainly_that_the_sensor_is_away(unplugged):
    _, away, back = unplugged
    assert away["banner_visible"]
    # (over the force plot, a long port is cut at its start: its end tells it)
    port = away["banner"].removeprefix("Sensor disconnected (").removesuffix(") — reconnecting…")
    assert port == away["port"] or (port.startswith("…") and away["port"].endswith(port[1:]) and "s.pty" in port)
    assert "connection lost" in away["tooltip"]
    assert not back["banner_visible"]


def test_the_last_grade_is_greyed_while_the_sensor_is_away(unplugged):
    from ui.trainer.panels import HIDDEN_COLOUR, LOST_NOTE
    before, away, back = unplugged
    grade = before["grade"]
    assert grade.startswith("III") and HIDDEN_COLOUR not in before["grade_style"]
    assert away["grade"] == grade and HIDDEN_COLOUR in away["grade_style"]
    assert away["caption"] == LOST_NOTE
    assert all(HIDDEN_COLOUR in v for v in away["value_styles"])
    assert back["caption"] != LOST_NOTE and HIDDEN_COLOUR not in back["grade_style"]
    assert not any(back["value_styles"])
