"""``gradecoach evaluate`` checks a set's frequency CV (the consistency figure a set's summary
gives) against the expected one's, so that a first cycle measured from the ramp into the set
(which made it 2-4 times too high) shows as a regression."""

from __future__ import annotations

import json

from tests.conftest import ROOT, gc


def test_a_set_whose_frequency_cv_is_off_is_below_the_thresholds(tmp_path):
    csv = tmp_path / "g3.csv"
    assert gc("simulate", "--grade", "III", "--cycles", "10", "-o", csv).returncode == 0
    truth = csv.with_name("g3.expected.jsonl")
    lines = [json.loads(x) for x in truth.read_text().splitlines()]
    r = gc("evaluate", csv, "--format", "jsonl")
    assert r.returncode == 0, r.stdout + r.stderr
    f = json.loads(r.stdout)
    assert f["max_set_freq_cv_err_pts"] < 4.0
    for e in lines[1:]:                     # every expected cycle at one frequency: a CV of 0
        e["freq_hz"] = 1.0
    truth.write_text("".join(json.dumps(e) + "\n" for e in lines))
    r = gc("evaluate", csv, "--max-freq-cv-error", "1")
    assert r.returncode == 1
    assert "below the thresholds: difference of a set's frequency CV from the expected one's" in r.stdout
    assert "(at most 1 points, --max-freq-cv-error)" in r.stdout


def test_the_committed_fixtures_keep_their_first_cycles():
    r = gc("evaluate", ROOT / "fixtures" / "drift_grade4_m.csv", ROOT / "fixtures" / "lumbar_grade1.csv",
           "--format", "jsonl")
    assert r.returncode == 0, r.stdout + r.stderr
    errs = {json.loads(x)["file"].rsplit("/", 1)[-1]: json.loads(x)["max_set_freq_cv_err_pts"]
            for x in r.stdout.splitlines()}
    # (15.1 and 7.5 points off while their first cycle was measured from the ramp into the set)
    assert errs["drift_grade4_m.csv"] < 12.0 and errs["lumbar_grade1.csv"] < 2.0
