"""The default replay table and the HTML report show each set's mean crest in N and where it
lies in R1–R2, next to the grades (domain reference: the continuous quantities beside the
label), as the trainer and the JSON do: '75 %', 'below R1' for a crest under R1, 'beyond R2'
for one the grader flags, and over 100 % for a III++ a little past R2."""

from __future__ import annotations

import pytest

from tests.analysis._small_oscillations import a_set
from ui.cli import main

from ._report_page import Page

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

CASES = [(40.0, 100.0, "75 %"), (5.0, 35.0, "below R1"), (40.0, 127.2, "109 %"), (40.0, 140.0, "beyond R2")]


def _csv(tmp_path, trough, crest):
    t, y = a_set(trough, crest, cycles=5)
    csv = tmp_path / f"set_{crest:g}.csv"
    csv.write_text("t_s,force_n\n" + "".join(f"{a:.6f},{b:.4f}\n" for a, b in zip(t, y)))
    return csv


@pytest.mark.parametrize("trough, crest, where", CASES)
def test_the_replay_table_gives_the_crest_in_r1_r2(tmp_path, capsys, trough, crest, where):
    assert main(["replay", str(_csv(tmp_path, trough, crest)), "--r1", "40", "--r2", "120", "--format", "table"]) == 0
    line = [s for s in capsys.readouterr().out.splitlines() if "mean crest" in s]
    said = f"({where} of R1–R2)" if "%" in where else f"({where})"
    assert len(line) == 1 and line[0].endswith(f"mean crest {crest:.1f} N {said}"), line


def test_without_a_calibration_the_table_gives_the_crest_alone(tmp_path, capsys):
    assert main(["replay", str(_csv(tmp_path, 40.0, 100.0)), "--format", "table"]) == 0
    line = [s for s in capsys.readouterr().out.splitlines() if "mean crest" in s]
    assert len(line) == 1 and line[0].endswith("mean crest 100.0 N")


def test_the_report_sets_table_gives_the_crest_in_r1_r2(tmp_path):
    out = tmp_path / "r.html"
    csvs = [str(_csv(tmp_path, tr, cr)) for tr, cr, _ in CASES]
    assert main(["report", *csvs, "--r1", "40", "--r2", "120", "-o", str(out)]) == 0
    rows = Page(out.read_text()).tables["sets"]     # (one table a recording: headings, then its set)
    heads, body = rows[0::2], rows[1::2]
    assert all(h == heads[0] for h in heads)
    i = heads[0].index("mean crest in R1–R2")
    assert heads[0][i - 1] == "mean crest (N)"
    assert sorted(r[i] for r in body) == sorted(w for _, _, w in CASES)
