"""``gradecoach record --duration`` beyond a day (86400 s) is refused in one line naming the
option, before the device is opened and with nothing written: ``--duration 1e9`` was taken
and recorded until Ctrl-C, as if no duration were given. A day, and every record command the
README and docs give, is still taken."""

from __future__ import annotations

import re
import shlex

import pytest

from tests.conftest import ROOT
from ui.cli import build_parser, main


@pytest.mark.parametrize("duration", ["1e9", "86401", "inf", "nan", "0", "-5"])
def test_record_refuses_a_duration_beyond_a_day_in_one_line(duration, tmp_path, capsys):
    out = tmp_path / "anna"
    assert main(["record", "--device", "emulator:mixed", "--out", str(out), "--duration", duration]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    assert err.startswith(f"gradecoach: error: --duration {float(duration):g}: ") and "86400" in err, err
    assert not any(tmp_path.iterdir()), "nothing is written"


def _documented_record_commands() -> list[str]:
    """Every ``gradecoach record`` command of the README and the docs, its continued lines joined
    (a mention of an option alone, as "``gradecoach record --out``", is no command)."""
    cmds = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = re.sub(r"\\\n\s*", " ", doc.read_text(encoding="utf-8"))
        cmds += re.findall(r"gradecoach record (--[^`\n]+)", text)
    return [re.sub(r"\[[^]]*\]", "", c) for c in cmds if "--device" in c]     # (without an optional [--audio …])


def test_a_day_and_the_documented_record_commands_are_within_range():
    from ui.cmd_record import MAX_DURATION_S, check_options

    parser = build_parser("record")
    assert MAX_DURATION_S == 86400
    check_options(parser.parse_args(["record", "--device", "emulator", "--out", "x", "--duration", "86400"]))
    cmds = _documented_record_commands()
    assert len(cmds) >= 4 and any("--duration" in c for c in cmds)
    for cmd in cmds:
        check_options(parser.parse_args(["record", *shlex.split(cmd)]))
