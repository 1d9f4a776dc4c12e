"""While a serial sensor is away, ``gradecoach record``'s status line says so and its time goes
on ("waiting for the sensor (4 s)"): it repeated the last second before the sensor went, rate
1000 Hz and all, for as long as it was away."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

from tests.conftest import ROOT

STATUS = re.compile(r"^\s*(\d+\.\d) s  (.*?)  samples (\d+)")


def cli(*args, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ui.cli", *map(str, args)], cwd=ROOT, text=True, **kw)


def test_the_status_line_goes_on_and_says_it_waits_while_the_sensor_is_away(tmp_path):
    link = tmp_path / "s2.pty"
    em = cli("emulate", "--link", link, "--scenario", "grade4", stdout=subprocess.PIPE)
    try:
        assert "emulating" in em.stdout.readline()
        rec = cli("record", "--device", f"serial:{link}", "--out", tmp_path / "u", "--duration", 7,
                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lines = []
        for line in rec.stderr:                     # recording: the sensor goes away a second in
            lines.append(line)
            m = STATUS.match(line)
            if m and float(m.group(1)) >= 1.0:
                break
        em.send_signal(signal.SIGINT)
        em.communicate(timeout=30)
        out, err = rec.communicate(timeout=60)
    finally:
        for p in (em,):
            if p.poll() is None:
                p.kill()
    lines += err.splitlines()
    assert rec.returncode == 0 and "the device was lost at" in out, (out, lines)
    away = [STATUS.match(x) for x in lines if "waiting for the sensor" in x]
    assert len(away) >= 3, lines
    times = [float(m.group(1)) for m in away]
    waited = [int(re.search(r"waiting for the sensor \((\d+) s\)", m.string).group(1)) for m in away]
    assert times == sorted(times) and times[-1] - times[0] >= len(away) - 2, lines      # the time goes on
    assert waited == sorted(waited) and waited[-1] >= 3, lines
    assert len({m.group(3) for m in away}) == 1                  # (no sample meanwhile)
    assert not any("rate" in m.group(2) for m in away)


def test_a_slow_sensor_is_not_said_away_between_its_samples(tmp_path, capsys):
    from tests._cli_in_process import gc_in_process

    r = gc_in_process(capsys, "record", "--device", "emulator:grade4@0.5", "--out", tmp_path / "slow",
                      "--duration", "5")            # (a sample every 2 s)
    assert r.returncode == 0, r.stderr
    assert "samples 3" in r.stderr and "waiting for the sensor" not in r.stderr, r.stderr
