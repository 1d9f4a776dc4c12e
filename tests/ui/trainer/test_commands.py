"""``gradecoach`` with no display falls back to the demo replay; ``gradecoach screenshot``
renders the window after a replay; bad input is one line, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from PySide6.QtGui import QColor, QImage

from ui.cli import main
from ui.trainer.palette import GRADE_COLOURS

from .conftest import ARTIFACTS, DEMO, REPO

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _run(args, env_drop=("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
    env = {k: v for k, v in os.environ.items() if k not in env_drop}
    return subprocess.run([sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())", *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_gradecoach_without_display_runs_the_demo_replay():
    p = _run([])
    assert p.returncode == 0, p.stderr
    first, rest = p.stdout.split("\n", 1)
    assert "no display" in first
    assert "demo_mixed.csv" in rest and "cycles" in rest and "thrusts" in rest
    assert "Traceback" not in p.stderr


def test_trainer_with_a_bad_device_is_one_line():
    p = _run(["trainer", "--device", "nosuch:thing"], env_drop=())
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and "nosuch:thing" in p.stderr


def _count(img: QImage, colour: str) -> int:
    want = QColor(colour).rgb()
    return sum(1 for y in range(0, img.height(), 2) for x in range(0, img.width(), 2)
               if img.pixel(x, y) == want)


def test_screenshot_shows_the_grade_set_in_its_colour(qtbot, capsys, tmp_path):
    out = tmp_path / "screenshot_grade3.png"             # (another test run may share test-artifacts)
    assert main(["screenshot", "--replay", str(DEMO), "--r1", "40", "--r2", "120", "--at", "26.5",
                 "--size", "1024x600", "-o", str(out)]) == 0
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1024, 600)
    assert _count(img, GRADE_COLOURS["III"]) > 500          # the III set and the big "III-"
    assert _count(img, GRADE_COLOURS["IV"]) == 0            # nothing of grade IV yet
    assert main(["screenshot", "--replay", str(DEMO), "--r1", "40", "--r2", "120", "--at", "50",
                 "--size", "1024x600", "-o", str(out)]) == 0
    assert _count(QImage(str(out)), GRADE_COLOURS["IV"]) > 500
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(out, ARTIFACTS / "screenshot_grade3.png")   # to look at


def test_screenshot_bad_input_is_one_line(tmp_path, capsys):
    assert main(["screenshot", "--replay", str(tmp_path / "nope.csv"), "--at", "3", "-o",
                 str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.csv" in err


class _Clock:
    t = 0.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.t += max(s, 0.0)


def test_trainer_command_builds_a_live_window_on_the_emulator(qtbot, tmp_path):
    from ui import cmd_trainer
    from ui.cli import build_parser
    from firmware_bridge.sources import Pacer

    args = build_parser("trainer").parse_args(["trainer", "--device", "emulator:grade3", "--target", "III",
                                               "--rate", "1.5", "--mic", "no-such-microphone",
                                               "--sessions", str(tmp_path)])
    win = cmd_trainer.build(args, start=False)
    qtbot.addWidget(win)
    src = win.worker.source
    clock = _Clock()
    src.pacer = Pacer(clock=clock, sleep=clock.sleep)        # data time, no real-time waiting
    assert "no-such-microphone" in win.engine.disabled["audio"]      # noted, not fatal
    win.worker.start()
    qtbot.waitUntil(lambda: len(win.engine.cycles) >= 3, timeout=20000)
    win.worker.stop()
    win.refresh()
    assert win.grade_panel.grade.text().startswith("III")   # the emulator's own calibration grades it
    assert win.pacer.isVisibleTo(win) and win.pacer.rate_hz == 1.5
    assert "audio analysis off" in win.status.text()
    assert win.log_path == tmp_path / "state" / "gradecoach" / "trainer.log" and win.log_path.exists()
    assert str(win.log_path) in win.about_text()


def test_screenshot_of_a_serial_device_reads_it_in_real_time(qtbot, capsys, tmp_path):
    """The same device specs as record and the trainer: here a sensor on a pseudo-terminal
    (the emulator in its own process) doing an HVLA thrust, with the device's calibration."""
    import signal

    link = tmp_path / "sensor.pty"
    emu = subprocess.Popen([sys.executable, "-m", "ui.cli", "emulate", "--link", str(link), "--scenario", "hvla"],
                           cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert "emulating" in emu.stdout.readline()
        out = tmp_path / "dev.png"
        assert main(["screenshot", "--device", f"serial:{link}", "--at", "6", "--size", "1024x600",
                     "-o", str(out)]) == 0
        assert "of serial:" in capsys.readouterr().out
        img = QImage(str(out))
        assert _count(img, GRADE_COLOURS["V"]) > 300                # the thrust drawn, and the big "V"
    finally:
        emu.send_signal(signal.SIGTERM)
        emu.communicate(timeout=10)


def test_screenshot_of_a_device_that_sends_nothing_is_one_line(tmp_path, capsys):
    assert main(["screenshot", "--device", f"serial:{tmp_path / 'gone'}", "--at", "2", "-o",
                 str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot open" in err


def test_replaying_a_session_in_the_trainer_practises_against_its_own_calibration_and_target(qtbot, tmp_path):
    from firmware_bridge.session import SessionMeta, SessionWriter, read_force_csv
    from ui import cmd_trainer
    from ui.cli import build_parser

    d = read_force_csv(REPO / "fixtures" / "lumbar_grade3.csv")
    w = SessionWriter(tmp_path / "s", SessionMeta(r1_n=40.0, r2_n=120.0, target="III+"))
    w.append_force(d.t_s, d.values)
    w.close(1000.0)
    args = build_parser("trainer").parse_args(["trainer", "--device", f"file:{tmp_path / 's'}",
                                               "--sessions", str(tmp_path / "rec")])
    win = cmd_trainer.build(args, start=False)
    qtbot.addWidget(win)
    assert win.target is not None and win.target.text == "III+"
    assert (win.engine.scheme.r1_n, win.engine.scheme.r2_n) == (40.0, 120.0)
