"""``evaluate``'s line for a recording says what its grade count counts: a III graded where a
III- was expected is a grade as expected but not its modifier, and the line says both counts
("grades 8/8 as expected (100.0 %), 7/8 of the III and IV with their modifier too (87.5 %)"); it
said "grades 8/8 as expected (100.0 %)" above "cycle at 7.02 s graded III, expected III-", for a
therapist two lines that contradict each other."""

from __future__ import annotations

from tests._cli_in_process import gc_in_process


def test_the_count_says_the_modifiers_it_leaves_out(tmp_path, capfd):
    r = gc_in_process(capfd, "simulate", "--grade", "III-", "--r1", "60", "--r2", "150", "--freq", "0.7",
                      "--cycles", "8", "--drift", "10", "--quant", "0.5", "--rate", "200", "-o", "iii_drift.csv",
                      cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = gc_in_process(capfd, "evaluate", ".", cwd=tmp_path)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[0].startswith("iii_drift.csv: grades 8/8 as expected (100.0 %), 7/8 of the III and IV with their "
                               "modifier too (87.5 %), 8 of 8 cycles found"), r.stdout
    assert "graded III, expected III-" in r.stdout


def test_grades_without_modifiers_say_none(tmp_path, capfd):
    r = gc_in_process(capfd, "simulate", "--grade", "II", "--cycles", "6", "--rate", "200", "-o", "g2.csv",
                      cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = gc_in_process(capfd, "evaluate", ".", cwd=tmp_path)
    assert r.stdout.startswith("g2.csv: grades 6/6 as expected (100.0 %), 6 of 6 cycles found"), r.stdout
    assert "modifier" not in r.stdout.splitlines()[0]
