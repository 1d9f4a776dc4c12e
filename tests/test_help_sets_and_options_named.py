"""``simulate --sets`` help says the 600 s cap that refuses ``--grade mixed --sets 8`` (it said only
"give 1–50"); bench_review.py --help gives its whole first sentence and says what each option is
(it was cut off after "open time of", and the options had no help); the README names simulate's
imperfection options, emulate --speed and record --quiet (they were in no doc)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, gc


def test_simulate_sets_help_says_the_cap_and_it_holds(tmp_path):
    r = gc("simulate", "--help")
    text = " ".join(r.stdout.split())
    assert "1–50, the recording at most 600 s long: up to 7 repeats of mixed, 34 sets of 20 cycles at 1.5 Hz" in text
    for args, refused in ((("--grade", "mixed", "--sets", "8"), "--grade mixed and --sets 8"),
                          (("--grade", "III", "--sets", "35"), "--sets 35")):
        r = gc("simulate", *args, "-o", tmp_path / "x.csv")
        assert r.returncode == 2 and refused in r.stderr and "keep it within 600 s" in r.stderr


def test_bench_review_help_is_whole():
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_review.py"), "--help"],
                       capture_output=True, text=True, timeout=60)
    text = " ".join(r.stdout.split())
    assert r.returncode == 0
    assert "open time of a long session recorded by a hand-worn IMU alone, report time for a class." in text
    assert "(default: 60)" in text and "(default: 30)" in text and "(default: 3)" in text


def test_readme_names_the_options_no_doc_named():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    for opt in ("--noise N", "--tremor N", "--drift N", "--quant N", "--spikes PER_S", "--dropouts PER_MIN",
                "--jitter SHARE", "emulate --speed X", "record --quiet"):
        assert f"`{opt}" in readme, opt
