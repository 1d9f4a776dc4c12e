"""Sound that ends before the force (a played recording whose sound was cut short, a microphone
turned off) still gives the pops heard just before its end, tied to their thrust as replay ties
them: the pop detector decides what it was still waiting on when the sound ends. The trainer kept
them waiting for sound that never came: thrust 3 of the pops fixture, its sound cut at 12.70 s,
read "1 pop" where replay says "2 pops". And the level meter reads empty once the sound has
ended; it went on showing the last level heard ("audio -35 dBFS") to the end of the force.

Real parts: the trainer window and engine, fed as ``gradecoach screenshot`` feeds them and as its
acquisition worker plays a file; the thrust fixture's force and sound, cut."""

from __future__ import annotations


import numpy as np
import pytest
import soundfile as sf

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, iter_chunks, load_input
from firmware_bridge.sources import FileSource
from ui import cmd_screenshot
from ui.cli import build_parser

from .conftest import ARTIFACTS, REPO, play_to_end, schemes, thrust_tab_window

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CSV = REPO / "fixtures" / "thrust_pops.csv"
SOUND = CSV.with_suffix(".flac")            # (16 kHz, as long as the force)
CUT_S = 12.70           # 20 ms after thrust 3's second pop (12.68 s), before the detector decided it
THRUST = 2              # thrust 3, its peak at 12.66 s


def _cut_sound(tmp_path, seconds: float = CUT_S):
    x, rate = sf.read(str(SOUND), dtype="float32")
    path = tmp_path / "cut.flac"
    sf.write(str(path), x[:int(seconds * rate)], rate)
    return path


def _replayed(csv, sound) -> dict:
    """Thrust 3 as ``gradecoach replay CSV --audio SOUND --r1 40 --r2 120`` sums it up."""
    summary = analyze_input(load_input(str(csv), str(sound)), GradingScheme(40, 120))[-1].to_dict()
    return next(t for t in summary["thrusts"] if t["index"] == THRUST)


def _said(win) -> tuple[str, str]:
    win.refresh()
    return win.thrust_panel.values["pops"].text(), win.thrust_panel.pops_line.text()


def _as_replay_says(row: dict) -> tuple[str, str]:
    """(the sound ends within the thrust's pop window: replay counts the pops heard as a least
    number, "at least 2 pops, first heard 3 ms after peak force", "≥2" in the report)"""
    n, ms, partly = row["pops"], row["first_pop_ms_from_peak"], row["pops_partly_heard"]
    return (("≥" if partly else "") + str(n),
            f"{'at least ' if partly else ''}{n} pops, first{' heard' if partly else ''} {ms:.0f} ms after peak force")


def test_the_screenshot_counts_the_pop_just_before_the_sound_ends(tmp_path):
    cut = _cut_sound(tmp_path)
    row = _replayed(CSV, cut)
    assert row["pops"] == 2                       # (its second pop is decided only at the sound's end)
    assert row["pops_partly_heard"]               # (cut 40 ms after its peak: its window not all heard)
    out = tmp_path / "a.png"
    argv = ["screenshot", "--replay", str(CSV), "--audio", str(cut), "--r1", "40", "--r2", "120",
            "--target", "V", "--at", "13.5", "-o", str(out)]
    win = cmd_screenshot.render(build_parser("screenshot").parse_args(argv))
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        win.grab().save(str(ARTIFACTS / "trainer_sound_cut_pops.png"))      # to look at
        count, line = _said(win)
        want = _as_replay_says(row)
        assert count == want[0] and line.startswith(want[1]), (count, line)
    finally:
        win.close()


def test_the_meter_reads_empty_once_the_sound_has_ended(qtbot, tmp_path):
    win, eng = thrust_tab_window(qtbot, *schemes(target="V"))
    levels = {}
    for ch in iter_chunks(load_input(str(CSV), str(_cut_sound(tmp_path))), 0.05):
        if ch.t_s[0] > 14.0:
            break
        eng.feed(ch)
        if ch.stream == "force":
            win.refresh()
            levels[round(float(ch.t_s[-1]), 2)] = (win.meter.value(), win.meter.format())
    while_heard = levels[12.5]
    assert while_heard[1].startswith("audio ") and while_heard[1].endswith(" dBFS") and while_heard[0] > -60
    assert levels[13.95] == (-60, "sound ended"), levels[13.95]


def test_a_microphone_turned_off_gives_the_pop_it_was_deciding(qtbot, monkeypatch, tmp_path):
    """Turned off 10 ms after a pop, before the 35 ms of sound after it that decide it came: the
    pop is given from the sound there was, as replay of that sound gives it (it waited for sound
    that did not come, and the thrust read "1 pop")."""
    from ._mic import MicSession
    s = MicSession(qtbot, monkeypatch, tmp_path / "rec")
    mic = s.mic("Clip-on mic")
    s.next_mics(mic)
    s.key("toggle_microphone")                  # A: on
    s.until(12.61)                              # (its sound runs 50 ms ahead of the force fed)
    s.key("toggle_microphone")                  # ... and off
    assert mic.closed
    heard_to_s = (mic.offset + mic.n) / mic.rate_hz
    assert 12.685 < heard_to_s < 12.71, heard_to_s
    s.until(14.0)
    row = _replayed(CSV, _cut_sound(tmp_path, heard_to_s))
    assert row["pops"] == 2
    s.win.tabs.setCurrentWidget(s.win.thrust_panel)
    count, line = _said(s.win)
    want = _as_replay_says(row)
    assert count == want[0] and line.startswith(want[1]), (count, line)


def test_a_played_file_whose_force_and_sound_end_together_gives_its_last_pop(qtbot, tmp_path):
    """Its sound ends 50 ms before its force: the detector is finished when the file has played
    to its end, and the pops waiting for the force tied as replay ties them at the end."""
    rows = CSV.read_text().splitlines()
    csv = tmp_path / "cut.csv"
    csv.write_text("\n".join([rows[0]] + [r for r in rows[1:] if float(r.split(",")[0]) <= CUT_S + 0.05]) + "\n")
    sound = _cut_sound(tmp_path)
    row = _replayed(csv, sound)
    assert row["pops"] == 2
    win, eng = thrust_tab_window(qtbot, *schemes(target="V"))
    play_to_end(eng, FileSource(str(csv), speed=40.0, audio=str(sound)))
    count, line = _said(win)
    want = _as_replay_says(row)
    assert count == want[0] and line.startswith(want[1]), (count, line)
    assert np.isclose(eng.thrusts[-1].t_peak, row["t_peak"])
    assert win.meter.format() == "sound ended"
