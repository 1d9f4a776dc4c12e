"""``gradecoach emulate``: options the sensor cannot honour are refused in one line before the
pseudo-terminal is made."""

from __future__ import annotations

import pytest

from ui.cli import main


def _refused(capsys, argv: list[str], option: str) -> str:
    assert main(["emulate", *argv]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and option in lines[0] and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("rate", ["1", "10", "15", "15.25", "0", "-5", "nan", "inf", "5000"])
def test_a_rate_the_binary_protocol_cannot_carry_is_refused(rate, tmp_path, capsys):
    line = _refused(capsys, ["--link", str(tmp_path / "e.pty"), "--rate", rate], "--rate")
    if rate in ("1", "10", "15"):
        assert "--line" in line                 # says how to emulate a slower sensor
    assert not any(tmp_path.iterdir()), "no link is made"


@pytest.mark.parametrize("rate", ["0", "-1", "nan", "5000"])
def test_line_rates_must_be_positive_and_at_most_4000(rate, tmp_path, capsys):
    _refused(capsys, ["--link", str(tmp_path / "e.pty"), "--line", "--rate", rate], "--rate")
