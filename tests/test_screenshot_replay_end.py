"""``screenshot --at`` past a recording's end names where it ends with the decimals that show it
ends before --at: a 49.99 s recording and --at 50 said "ends at 50.0 s", refusing 50 for a time
it said the recording reaches."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ui.cli import main  # noqa: E402


@pytest.mark.parametrize("end_s, at, said", [(49.99, 50, "49.99"), (49.9996, 50, "49.9996"), (12.34, 20, "12.3")])
def test_an_at_past_the_end_says_an_end_before_it(tmp_path, capsys, end_s, at, said):
    t = np.round(np.linspace(0.0, end_s, int(round(end_s * 100)) + 1), 6)
    csv = tmp_path / "rec.csv"
    csv.write_text("t_s,force_n\n" + "".join(f"{x:.6f},{50 + 30 * np.sin(2 * np.pi * 1.5 * x):.3f}\n" for x in t))
    assert main(["screenshot", "--replay", str(csv), "--at", str(at), "-o", str(tmp_path / "x.png"),
                 "--r1", "40", "--r2", "120"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].endswith(f"--at {at}: rec ends at {said} s"), err
    assert not (tmp_path / "x.png").exists()
