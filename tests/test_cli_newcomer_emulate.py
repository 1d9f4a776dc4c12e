"""``gradecoach emulate --truth FILE`` stopped with Ctrl-C pressed more than once: the truth is
still written whole and the emulator says what it sent."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from tests.conftest import ROOT, ctrl_c_until_it_ends


def test_ctrl_c_pressed_again_while_the_emulator_stops_still_writes_its_truth(tmp_path):
    """A second Ctrl-C while it stopped broke into the writing of --truth: the file was left
    empty (it is opened at the start, so an earlier truth there was gone too) and no 'sent' line
    was said. Here Ctrl-C comes every 2 ms from the first on until the program ends."""
    link, truth = tmp_path / "sensor.pty", tmp_path / "truth.jsonl"
    p = subprocess.Popen([sys.executable, "-m", "ui.cli", "emulate", "--link", str(link), "--truth", str(truth),
                          "--scenario", "mixed", "--speed", "50"], cwd=ROOT, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not link.exists():
        assert p.poll() is None and time.monotonic() < deadline, p.communicate()
        time.sleep(0.02)
    time.sleep(3)                                   # (at 50 times real time: 150 s of the scenario)
    said, told = ctrl_c_until_it_ends(p, 0.002, deadline)
    assert said.splitlines()[-1].startswith("sent ") and " samples (" in said.splitlines()[-1], said
    events = [json.loads(line) for line in truth.read_text().splitlines()]
    assert len(events) > 20 and {e["type"] for e in events} == {"cycle", "thrust"}
    assert not link.exists()
