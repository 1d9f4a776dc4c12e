"""``gradecoach trainer --rate``: a rate out of range is one line naming the option, as the other
options' messages name theirs ("--rate 1000: give 0.1–10 Hz"), where it said "rate must be between
0.1 and 10 Hz (got 1000)", and without a display it was not checked at all (the demo ran). The
help says what --rate paces without --target: the played session's own target, or else III."""

from __future__ import annotations

import pytest

from tests._cli_in_process import gc_in_process

LINE = "gradecoach: error: --rate {}: give 0.1–10 Hz (the metronome's rate)\n"


@pytest.mark.parametrize("rate", ["1000", "0.01", "nan"])
def test_a_rate_out_of_range_names_the_option(monkeypatch, capsys, rate):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")        # (refused before any window is made)
    r = gc_in_process(capsys, "trainer", "--rate", rate, "--target", "III")
    assert (r.returncode, r.stdout, r.stderr) == (2, "", LINE.format(rate))


def test_without_a_display_the_rate_is_checked_before_the_demo(monkeypatch, capsys):
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    r = gc_in_process(capsys, "trainer", "--rate", "1000")
    assert (r.returncode, r.stdout, r.stderr) == (2, "", LINE.format("1000"))


def test_the_help_says_what_rate_paces_without_a_target(capsys):
    r = gc_in_process(capsys, "trainer", "--help")
    said = " ".join(r.stdout.split())
    assert "--rate HZ metronome rate for the target, 0.1–10 Hz; without --target, the played session's own " \
           "target, or else III, is paced" in said, said
