"""``screenshot --at`` past a recording's end names where it ends with the decimals that show it
ends before --at: a 49.99 s recording and --at 50 said "ends at 50.0 s", refusing 50 for a time
it said the recording reaches. A time within the rounding of the length replay prints (0.1 s) is
the end: replay's "15.3 s" was refused as "ends at 15.27 s"."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ui.cli import main  # noqa: E402


def _recording(tmp_path, end_s):
    t = np.round(np.linspace(0.0, end_s, int(round(end_s * 100)) + 1), 6)
    csv = tmp_path / "rec.csv"
    csv.write_text("t_s,force_n\n" + "".join(f"{x:.6f},{50 + 30 * np.sin(2 * np.pi * 1.5 * x):.3f}\n" for x in t))
    return csv


@pytest.mark.parametrize("end_s, at, said", [(49.94, 50, "49.9"), (50.0096, 50.07, "50.0"), (12.34, 20, "12.3")])
def test_an_at_past_the_end_says_an_end_before_it(tmp_path, capsys, end_s, at, said):
    csv = _recording(tmp_path, end_s)
    assert main(["screenshot", "--replay", str(csv), "--at", str(at), "-o", str(tmp_path / "x.png"),
                 "--r1", "40", "--r2", "120"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].endswith(f"--at {at}: rec ends at {said} s"), err
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("at", ["2.3", "2.32"])
def test_an_at_within_the_rounding_of_the_length_is_the_end(tmp_path, capsys, at):
    """replay prints a 2.27 s recording as 2.3 s: --at 2.3 (up to 0.05 s past its end) shows
    its end."""
    csv = _recording(tmp_path, 2.27)
    out = tmp_path / "x.png"
    assert main(["screenshot", "--replay", str(csv), "--at", at, "-o", str(out), "--r1", "40", "--r2", "120"]) == 0
    said = capsys.readouterr()
    assert said.out.strip().endswith(" at t = 2.27 s, the end of rec"), said
    assert out.stat().st_size > 0
