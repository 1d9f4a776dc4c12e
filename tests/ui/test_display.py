"""A display named in the environment that does not answer (an SSH session's forwarded display
after the session ended) is one line, not Qt's abort with a core dump: the review window says
so and exits 2, the trainer (the README's run command) runs the headless demo instead, and a
screenshot is drawn offscreen."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ui.display import X_TCP_PORT, no_display

ROOT = Path(__file__).resolve().parents[2]


def free_display() -> int:
    """A display number that no X server (socket file, abstract socket or TCP port) answers on."""
    for n in range(91, 200):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(f"\0/tmp/.X11-unix/X{n}")
            continue
        except OSError:
            pass
        finally:
            s.close()
        if os.path.exists(f"/tmp/.X11-unix/X{n}"):
            continue
        with socket.socket() as t:
            if t.connect_ex(("127.0.0.1", X_TCP_PORT + n)) != 0:
                return n
    pytest.skip("no free display number")


def gc(*args: str, display: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = display
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=180)


def test_a_display_that_does_not_answer_is_one_line_and_the_trainer_runs_headless(tmp_path):
    n = free_display()
    r = gc("review", str(ROOT / "fixtures"), display=f":{n}")
    assert r.returncode == 2, r.stderr[-500:]
    assert r.stderr.strip() == (f"gradecoach: error: no display for the review window (DISPLAY=:{n} does not "
                                f"answer: a closed SSH session or a logged-out desktop?); use 'gradecoach report' "
                                f"for a file")
    r = gc("trainer", display=f"localhost:{n}.0")
    assert r.returncode == 0, r.stderr[-500:]
    first = r.stdout.splitlines()[0]
    assert first.startswith(f"gradecoach: no display for the trainer window (DISPLAY=localhost:{n}.0 does not answer")
    assert "demo_mixed.csv" in r.stdout and "cycles" in r.stdout           # the demo replay ran
    assert "pops, first" in r.stdout                                       # with its sound
    shot = tmp_path / "shot.png"                                            # a screenshot is drawn offscreen
    r = gc("screenshot", "--replay", str(ROOT / "fixtures" / "demo_mixed.csv"), "--at", "5", "-o", str(shot),
           display=f":{n}")
    assert r.returncode == 0, r.stderr[-500:]
    assert shot.stat().st_size > 10_000


def test_a_display_that_answers_is_used(monkeypatch):
    n = free_display()
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", f":{n}")
    assert no_display("w") is not None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as x:            # a local X server's socket
        x.bind(f"\0/tmp/.X11-unix/X{n}")
        x.listen(1)
        assert no_display("w") is None
    with socket.socket() as x:                                              # a forwarded one (TCP)
        x.bind(("127.0.0.1", X_TCP_PORT + n))
        x.listen(1)
        monkeypatch.setenv("DISPLAY", f"localhost:{n}.0")
        assert no_display("w") is None
    assert no_display("w") is not None
    monkeypatch.delenv("DISPLAY")
    assert no_display("the review window") == "no display for the review window"
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")                      # Qt's platform chosen: trusted
    assert no_display("w") is None
