"""Numeric options of ``simulate`` and ``screenshot`` out of range, not finite or contradicting
each other: one line naming the option, exit status 2, no traceback, nothing written. The
ranges still take every command the fixtures, README and docs give."""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "fixtures"


def _refused(capsys, argv: list[str], option: str, folder: Path) -> str:
    assert main(argv) == 2
    cap = capsys.readouterr()
    lines = cap.err.strip().splitlines()
    assert len(lines) == 1, cap.err
    assert "Traceback" not in cap.err and option in lines[0], cap.err
    assert not any(folder.iterdir()), "nothing is written"
    return lines[0]


SIMULATE_BAD = [
    (["--freq", "0"], "--freq"),
    (["--freq", "-1"], "--freq"),
    (["--freq", "nan"], "--freq"),
    (["--rate", "nan"], "--rate"),
    (["--rate", "inf"], "--rate"),
    (["--rate", "5"], "--rate"),
    (["--noise", "-1"], "--noise"),
    (["--tremor", "nan"], "--tremor"),
    (["--drift", "-3"], "--drift"),
    (["--quant", "-0.1"], "--quant"),
    (["--spikes", "-1"], "--spikes"),
    (["--dropouts", "inf"], "--dropouts"),
    (["--cycles", "100000000"], "--cycles"),
    (["--cycles", "-3"], "--cycles"),
    (["--sets", "0"], "--sets"),
    (["--t0", "nan"], "--t0"),
    (["--t0", "-1"], "--t0"),
    (["--jitter", "5"], "--jitter"),
    (["--audio", "0"], "--audio"),
    (["--audio", "8000"], "--audio"),
    (["--imu", "0"], "--imu"),
    (["--seed", "-1"], "--seed"),
    (["--r1", "nan"], "--r1"),
    (["--r1", "50", "--r2", "40"], "--r2"),
    (["--alpha", "1"], "--alpha"),
    (["--alpha", "nan"], "--alpha"),
    (["--time-to-peak", "0"], "--time-to-peak"),
    (["--time-to-peak", "-10"], "--time-to-peak"),
    (["--time-to-peak", "100000"], "--time-to-peak"),
    (["--thrust", "--peak", "-100"], "--peak"),
    (["--thrust", "--preload", "150", "--peak", "100"], "--peak"),
    (["--thrust", "--preload", "150", "--peak", "160"], "--peak"),   # too small a rise to be a thrust
    (["--thrust", "--letup", "700", "--peak", "600"], "--letup"),
    (["--thrust", "--preload", "100", "--letup", "100"], "--letup"),
    (["--freq", "0.1", "--cycles", "500"], "--cycles"),               # hours of recording
    (["--grade", "mixed", "--sets", "50"], "--sets"),
    (["--thrust", "--sets", "50", "--audio", "192000"], "--audio"),   # gigabytes of sound
    (["--thrust", "--grade", "III+"], "--grade"),                    # a set of III+ was not what was made
    (["--thrust", "--grade", "mixed"], "--grade"),
]


@pytest.mark.parametrize("extra,option", SIMULATE_BAD, ids=[" ".join(a) for a, _ in SIMULATE_BAD])
def test_simulate_refuses_a_bad_number_in_one_line(extra, option, tmp_path, capsys):
    _refused(capsys, ["simulate", *extra, "-o", str(tmp_path / "s.csv")], option, tmp_path)


def test_simulate_message_says_what_to_give(tmp_path, capsys):
    line = _refused(capsys, ["simulate", "--freq", "0", "-o", str(tmp_path / "s.csv")], "--freq", tmp_path)
    assert line == "gradecoach: error: --freq 0: give 0.1–5 Hz"
    line = _refused(capsys, ["simulate", "--thrust", "--preload", "150", "--peak", "100", "-o",
                             str(tmp_path / "s.csv")], "--peak", tmp_path)
    assert "--preload" in line and "165 N" in line


def _simulate_commands() -> list[str]:
    """Every ``simulate`` command of the fixtures' script, the README and the docs."""
    cmds = [ln.split(None, 1)[1] for ln in (FIX / "regenerate.sh").read_text().splitlines()
            if ln.startswith("sim ")]
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for m in re.finditer(r"gradecoach simulate ([^`\n]+)", doc.read_text(encoding="utf-8")):
            cmds.append(m.group(1).replace("...", "-o x.csv"))
    return cmds


def test_the_documented_simulate_commands_are_within_range():
    from ui.cmd_simulate import check_options, register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    cmds = _simulate_commands()
    assert len(cmds) > 30
    for cmd in cmds:
        check_options(parser.parse_args(["simulate", *shlex.split(cmd)]))


SCREENSHOT_BAD = [
    (["--at", "nan"], "--at"),
    (["--at", "inf"], "--at"),
    (["--at", "-1"], "--at"),
    (["--at", "0"], "--at"),
    (["--at", "1000"], "--at"),            # the file is 17.5 s long
    (["--at", "5", "--window", "-5"], "--window"),
    (["--at", "5", "--window", "0"], "--window"),
    (["--at", "5", "--window", "nan"], "--window"),
    (["--at", "5", "--window", "1000"], "--window"),
]


@pytest.mark.parametrize("extra,option", SCREENSHOT_BAD, ids=[" ".join(a) for a, _ in SCREENSHOT_BAD])
def test_screenshot_of_a_replay_refuses_a_bad_time_in_one_line(extra, option, tmp_path, capsys):
    _refused(capsys, ["screenshot", "--replay", str(FIX / "lumbar_grade3.csv"), *extra,
                      "-o", str(tmp_path / "x.png")], option, tmp_path)


def test_screenshot_beyond_the_end_names_the_recordings_length(tmp_path, capsys):
    line = _refused(capsys, ["screenshot", "--replay", str(FIX / "lumbar_grade3.csv"), "--at", "1000",
                             "-o", str(tmp_path / "x.png")], "--at", tmp_path)
    assert "ends at 17.5 s" in line


@pytest.mark.parametrize("at", ["1e9", "601", "nan", "inf"])
def test_screenshot_of_a_device_refuses_an_endless_read_before_opening_it(at, tmp_path, capsys):
    _refused(capsys, ["screenshot", "--device", "emulator:hvla", "--at", at, "-o", str(tmp_path / "x.png")],
             "--at", tmp_path)


def test_screenshot_says_nothing_on_stderr_when_all_is_well(tmp_path):
    """Qt's offscreen notice about size hints is not shown to the user."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_LOGGING_RULES",)}
    env["QT_QPA_PLATFORM"] = "offscreen"
    out = tmp_path / "x.png"
    r = subprocess.run([sys.executable, "-m", "ui.cli", "screenshot", "--replay", str(FIX / "lumbar_grade3.csv"),
                        "--at", "17.5", "--window", "4", "--size", "640x400", "-o", str(out)],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stderr == "" and out.stat().st_size > 0


def test_the_documented_screenshots_are_within_their_recordings():
    from firmware_bridge.replay import load_input
    from ui.cli import build_parser
    from ui.cmd_screenshot import check_options

    parser = build_parser("screenshot")
    cmds = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        cmds += re.findall(r"gradecoach screenshot (--[^`\n]+)", doc.read_text(encoding="utf-8"))
    cmds = [c for c in cmds if "INPUT" not in c]
    assert len(cmds) >= 4
    for cmd in cmds:
        args = parser.parse_args(["screenshot", *shlex.split(cmd)])
        check_options(args)
        if args.replay:
            assert args.at <= load_input(ROOT / args.replay, args.audio and ROOT / args.audio).duration_s, cmd


@pytest.mark.parametrize("window", ["-5", "0", "nan", "600"])
def test_the_trainer_refuses_a_window_its_keys_could_not_reach_before_opening_the_device(window, tmp_path,
                                                                                        capsys, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    line = _refused(capsys, ["trainer", "--device", f"serial:{tmp_path / 'no-such-port'}", "--window", window],
                    "--window", tmp_path)
    assert "4–60 s" in line


def test_simulate_never_writes_into_a_recorded_session(tmp_path, capsys):
    """-o into a session folder would write over its force.csv (and audio.flac with --audio):
    refused in one line, the recording kept byte for byte; a folder of fixtures is fine."""
    session = tmp_path / "anna"
    session.mkdir()
    (session / "session.json").write_text('{"schema_version": 1}', encoding="utf-8")
    (session / "force.csv").write_text("t_s,force_n\n0.0,1.0\n0.001,1.5\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in session.iterdir()}
    assert main(["simulate", "--grade", "III", "--cycles", "3", "-o", str(session / "force.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"gradecoach: error: -o {session / 'force.csv'}: inside the recorded session {session}; "
                   f"choose another folder, the recording is kept as it is")
    assert {p.name: p.read_bytes() for p in session.iterdir()} == before
    assert main(["simulate", "--grade", "III", "--cycles", "3", "-o", str(tmp_path / "new" / "x.csv")]) == 0
    assert (tmp_path / "new" / "x.csv").stat().st_size > 0


def test_no_command_writes_into_another_recorded_session(tmp_path, capsys):
    """replay -o, report --csv and screenshot -o naming a file in a session folder that is not
    their input are refused like simulate -o, and the session is kept byte for byte."""
    session = tmp_path / "ben"
    session.mkdir()
    (session / "session.json").write_text('{"schema_version": 1}', encoding="utf-8")
    (session / "events.jsonl").write_text('{"type": "summary"}\n', encoding="utf-8")
    before = {p.name: p.read_bytes() for p in session.iterdir()}
    fixture = str(FIX / "lumbar_grade3.csv")
    for argv, option in ((["replay", fixture, "-o", str(session / "events.jsonl")], "-o"),
                         (["report", fixture, "-o", str(tmp_path / "r.html"), "--csv", str(session / "e.csv")],
                          "--csv"),
                         (["screenshot", "--replay", fixture, "--at", "5", "-o", str(session / "shot.png")], "-o")):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith(f"gradecoach: error: {option} {session}") and "inside the recorded session" in err
        assert "\n" not in err
    assert {p.name: p.read_bytes() for p in session.iterdir()} == before


@pytest.mark.parametrize("device", ["emulator:hvla", f"file:{FIX / 'thrust_pops.csv'}"], ids=["emulator", "file"])
@pytest.mark.parametrize("extra, option", [(["--audio", str(FIX / "thrust_pops.flac")], "--audio"),
                                           (["--audio-start", "1.5"], "--audio-start"),
                                           (["--audio-rate", "44100"], "--audio-rate")])
def test_screenshot_of_a_device_refuses_the_audio_options_of_a_replay(device, extra, option, tmp_path, capsys):
    """They were left out without a word: the picture showed no sound, or the played file's own."""
    line = _refused(capsys, ["screenshot", "--device", device, "--at", "12", *extra, "-o", str(tmp_path / "x.png")],
                    option, tmp_path)
    assert line == f"gradecoach: error: {option} only with --replay (it places a sound file beside the recording replayed)", line
