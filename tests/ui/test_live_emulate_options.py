"""``gradecoach emulate --seed`` out of the random generator's range is one line naming the
option before anything starts (a negative seed was numpy's traceback)."""

from __future__ import annotations

import pytest

from ui.cli import main


@pytest.mark.parametrize("seed", ["-1", "-7"])
def test_a_seed_the_generator_cannot_take_is_refused(seed, tmp_path, capsys):
    assert main(["emulate", "--link", str(tmp_path / "e.pty"), "--seed", seed]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--seed" in err[0] and "Traceback" not in err[0]
    assert not any(tmp_path.iterdir())
