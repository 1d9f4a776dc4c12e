"""Numbers on the command line as a European user types them: a decimal comma (``40,5``) and
the option's own unit after the number (``40 N``, ``5s``, ``1,5 Hz``) are read; anything else
is refused in one line naming the option, its unit and an example. A comma before three digits
(``1,500``) could be a thousands separator: it is refused, not guessed."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from tests.conftest import gc

ROOT = Path(__file__).resolve().parents[1]
LUMBAR = ROOT / "fixtures" / "lumbar_grade3.csv"


def _parsed(command: str, *argv: str):
    from ui.cli import build_parser

    return build_parser(command).parse_args([command, *argv])


def _one_line_refusal(r) -> str:
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    return lines[0]


def test_replay_reads_a_decimal_comma_and_newtons_as_the_same_calibration():
    point = gc("replay", LUMBAR, "--r1", "40.5", "--r2", "120")
    assert point.returncode == 0, point.stderr
    for r1, r2 in [("40,5", "120"), ("40,5 N", "120N"), ("40.5 N", "120 N")]:
        r = gc("replay", LUMBAR, "--r1", r1, "--r2", r2)
        assert r.returncode == 0, r.stderr
        assert r.stdout == point.stdout


def test_simulate_reads_a_rate_with_a_decimal_comma_and_hertz(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert gc("simulate", "--freq", "1.5", "--cycles", "3", "-o", a).returncode == 0
    r = gc("simulate", "--freq", "1,5 Hz", "--cycles", "3", "-o", b)
    assert r.returncode == 0, r.stderr
    assert a.read_bytes() == b.read_bytes()


def test_screenshot_reads_seconds_written_after_the_time(tmp_path):
    out = tmp_path / "x.png"
    r = gc("screenshot", "--replay", LUMBAR, "--at", "5s", "--window", "8,5 s", "-o", out)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 0


def test_trainer_and_others_read_units_and_commas_as_numbers():
    args = _parsed("trainer", "--r1", "40 N", "--r2", "120,5", "--rate", "1,5 Hz", "--window", "12 s")
    assert (args.r1, args.r2, args.rate, args.window) == (40.0, 120.5, 1.5, 12.0)
    args = _parsed("replay", str(LUMBAR), "--pop-window", "150 ms", "--audio-start", "-0,5 s",
                   "--min-amplitude", "2,5N")
    assert (args.pop_window, args.audio_start, args.min_amplitude) == (150.0, -0.5, 2.5)
    args = _parsed("record", "--device", "emulator", "--out", "x", "--duration", "0,5 s")
    assert args.duration == 0.5
    args = _parsed("devices", "--timeout", "2,5s")
    assert args.timeout == 2.5
    args = _parsed("emulate", "--link", "x", "--rate", "500 Hz", "--speed", "2,5", "--baud", "115200")
    assert (args.rate, args.speed, args.baud) == (500.0, 2.5, 115200)
    args = _parsed("simulate", "-o", "x.csv", "--time-to-peak", "120ms", "--t0", "0,25 s", "--cycles", "20",
                   "--audio", "48000 Hz", "--alpha", "0,4")
    assert (args.time_to_peak, args.t0, args.cycles, args.audio, args.alpha) == (120.0, 0.25, 20, 48000.0, 0.4)


REFUSED = [
    (["replay", str(LUMBAR), "--r1", "40 kg", "--r2", "120"], "--r1 40 kg: give the force in newtons, e.g. 40.5"),
    (["replay", str(LUMBAR), "--r1", "40", "--r2", "1,500"], "--r2 1,500: "),
    (["replay", str(LUMBAR), "--pop-window", "0,15 s"], "--pop-window 0,15 s: give the time in milliseconds"),
    (["simulate", "--freq", "1,5 s", "-o", "x.csv"], "--freq 1,5 s: give the rate in hertz"),
    (["simulate", "--cycles", "2,5", "-o", "x.csv"], "--cycles 2,5: give a whole number"),
    (["simulate", "--r1", "1.500,5", "-o", "x.csv"], "--r1 1.500,5: "),
    (["simulate", "--r1", "1_000", "-o", "x.csv"], "--r1 1_000: "),
    (["screenshot", "--replay", str(LUMBAR), "--at", "5ms", "-o", "x.png"], "--at 5ms: give the time in seconds"),
    (["devices", "--timeout", "five"], "--timeout five: give the time in seconds"),
]


@pytest.mark.parametrize("argv,start", REFUSED, ids=[" ".join(a[-4:]) for a, _ in REFUSED])
def test_anything_else_is_refused_naming_the_option_its_unit_and_an_example(argv, start, tmp_path):
    line = _one_line_refusal(gc(*argv, cwd=tmp_path))
    command = argv[0]
    assert line.startswith(f"gradecoach {command}: error: {start}"), line
    assert "e.g." in line, line
    assert not any(tmp_path.iterdir()), "nothing is written"


def test_a_thousands_separator_is_refused_saying_both_readings():
    line = _one_line_refusal(gc("replay", LUMBAR, "--r1", "40", "--r2", "1,500"))
    assert "1500" in line and "1.5" in line, line


def test_the_ranges_still_apply_to_a_number_written_with_its_unit(tmp_path):
    line = _one_line_refusal(gc("simulate", "--freq", "0 Hz", "-o", tmp_path / "s.csv"))
    assert line == "gradecoach: error: --freq 0: give 0.1–5 Hz"


def test_the_help_says_how_numbers_are_written():
    r = gc("replay", "--help")
    assert "40,5" in " ".join(r.stdout.split()) and "1,500" in r.stdout, r.stdout


def test_every_command_taking_a_number_says_how_numbers_are_written():
    """(simulate, evaluate, emulate and devices took them without saying so)"""
    import argparse

    from ui.cli import build_parser

    (sub,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    taking = {name for name, p in sub.choices.items()
              if any(getattr(a.type, "__name__", "") == "number" for a in p._actions)}
    assert {"simulate", "evaluate", "emulate", "devices", "replay", "record", "trainer"} <= taking
    for name in sorted(taking):
        text = " ".join(sub.choices[name].format_help().split())
        assert "(40.5 or 40,5)" in text and "1,500 is refused" in text, name


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.sampled_from(["", " ", "N", " N", " n"]),
       st.booleans())
def test_any_number_reads_the_same_with_a_comma_or_a_point_and_with_its_unit(x, unit, comma):
    from ui.options import number

    text = repr(x)
    if comma:
        if "e" in text or len(text.split(".")[-1]) == 3:      # (1,500 is refused: one thousand or one and a half)
            return
        text = text.replace(".", ",")
    assert number("N", example="40.5")(text + unit) == x


@given(st.text(max_size=12))
def test_any_text_is_a_number_or_refused_in_words(text):
    import argparse

    from ui.options import number

    try:
        value = number("s", example="5")(text)
    except argparse.ArgumentTypeError as e:
        assert "e.g. 5" in str(e) and "\n" not in str(e)
    else:
        assert isinstance(value, float) and (math.isnan(value) or text.strip())
