"""``simulate --overwrite`` stopped part way (Ctrl-C) leaves the earlier recording whole, its
force with its own expected events: it wrote the new force file first, in place, so a Ctrl-C
left it torn, or new, beside the earlier recording's expected events (a fixture whose truth
was not its own)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from tests.conftest import ROOT, gc, pressed_script


def test_ctrl_c_while_writing_keeps_the_earlier_recording(tmp_path):
    out = tmp_path / "x.csv"
    first = gc("simulate", "--grade", "III", "--cycles", 5, "--rate", 200, "-o", out)
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    args = ["simulate", "--grade", "III", "--cycles", 150, "--freq", 1, "--rate", 8000, "--seed", 3, "--overwrite",
            "-o", out]
    p = subprocess.Popen([sys.executable, "-m", "ui.cli", *map(str, args)],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         # (Ctrl-C reaches it as a terminal's would, however the tests were started)
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    t_end = time.monotonic() + 60
    while p.poll() is None and time.monotonic() < t_end:     # until it begins writing
        names = {q.name for q in tmp_path.iterdir()}
        if names != set(before) or out.stat().st_size != len(before["x.csv"]):
            break
        time.sleep(0.005)
    time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    assert err == ""
    assert {q.name: q.read_bytes() for q in tmp_path.iterdir()} == before


def test_ctrl_c_as_the_new_files_are_put_in_place_still_says_what_it_wrote(tmp_path):
    """A Ctrl-C that came as the finished files were moved into place ended the command (130)
    without its 'wrote' line, though the new recording was whole and in place."""
    out = tmp_path / "x.csv"
    script = ("import os, signal, sys\n"
              "from ui.cli import main\n"
              "replace = os.replace\n"
              "def pressed(*a):\n"
              "    os.kill(os.getpid(), signal.SIGINT)\n"
              "    return replace(*a)\n"
              "os.replace = pressed\n"
              f"sys.exit(main(['simulate', '--grade', 'III', '--cycles', '5', '--rate', '200', '-o', {str(out)!r}]))\n")
    p = pressed_script(script)
    assert p.returncode == 130, (p.returncode, p.stdout, p.stderr)
    assert p.stdout.startswith(f"wrote {out} ("), p.stdout
    assert out.is_file() and out.with_suffix(".expected.jsonl").is_file()
    assert not [q.name for q in tmp_path.iterdir() if q.name not in ("x.csv", "x.expected.jsonl")]
