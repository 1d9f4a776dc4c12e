"""``gradecoach evaluate``: a documented way to compare replay's analysis of a simulated
recording with its ``*.expected.jsonl`` (nothing a user could run did; only the fixture tests and
benchmarks/bench_accuracy.py used analysis/evaluate.py). Exit 0 when every file meets the
thresholds (the fixture tests' by default), 1 below them, 2 on bad input."""

from __future__ import annotations

import json
import shutil

import pytest

from tests._evaluate_copies import _copy, _edit_truth
from tests.conftest import ROOT, gc


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A grade III set and a thrust, as simulate writes them."""
    d = tmp_path_factory.mktemp("evaluate")
    for args in (["--grade", "III", "--cycles", "10", "-o", d / "g3.csv"],
                 ["--thrust", "--letup", "30", "-o", d / "t.csv"]):
        r = gc("simulate", *args)
        assert r.returncode == 0, r.stderr
    return d


def test_a_simulated_recording_meets_the_thresholds(made):
    r = gc("evaluate", "g3.csv", "t.csv", cwd=made)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == ("g3.csv: grades 10/10 as expected (100.0 %), 10/10 of the III and IV with their modifier "
                        "too (100.0 %), 10 of 10 cycles found, 0 spurious; "
                        "thrusts 0 of 0 found, 0 missed, 0 not expected")
    assert lines[1].startswith("t.csv: no cycles expected, 0 spurious; thrusts 1 of 1 found, 0 missed, "
                               "0 not expected; peak error up to ")
    assert lines[2].startswith("all 2 recordings: grades 10/10 as expected (100.0 %)")
    assert lines[3:] == ["all meet the thresholds"]
    assert r.stderr == ""


def test_the_committed_fixtures_meet_the_defaults():
    r = gc("evaluate", "fixtures")
    assert r.returncode == 0, r.stdout + r.stderr
    n = len([p for p in (ROOT / "fixtures").glob("*.csv") if p.with_suffix(".expected.jsonl").exists()
             or p.name.endswith(".imu.csv") and p.with_name(p.name[:-8] + ".imu-expected.jsonl").exists()])
    assert len(r.stdout.splitlines()) == n + 2 and r.stdout.endswith("all meet the thresholds\n")


def test_grades_not_as_expected_fail_and_a_threshold_given_passes(made, tmp_path):
    csv = _copy(made, tmp_path)

    def regrade(lines):
        for e in lines[1:5]:
            if e["type"] == "cycle":
                e["grade"] = "II"
    _edit_truth(csv, regrade)
    r = gc("evaluate", csv)
    assert r.returncode == 1, r.stderr
    assert r.stdout.splitlines() == [
        f"{csv}: grades 6/10 as expected (60.0 %), 6/6 of the III and IV with their modifier too (100.0 %), "
        f"10 of 10 cycles found, 0 spurious; thrusts 0 of 0 found, 0 missed, 0 not expected",
        "  below the thresholds: cycles found graded as expected: 60.0 % (at least 95 %, --min-grade-accuracy)",
        # which cycles: a CI maintainer finds them in the recording without a debugger
        "    --min-grade-accuracy: " + "; ".join(f"cycle at {e['t_crest']:.2f} s graded III, expected II"
                                                 for e in _truth(csv)[1:5] if e["type"] == "cycle")]
    assert gc("evaluate", csv, "--min-grade-accuracy", "60").returncode == 0


def _truth(csv):
    return [json.loads(x) for x in csv.with_name(csv.stem + ".expected.jsonl").read_text().splitlines()]


def test_each_threshold_failed_names_its_events(made, tmp_path):
    """A file below several thresholds says, per threshold, which events put it there, in time
    order: at most five, and how many more."""
    csv = _copy(made, tmp_path, "t")
    thrust = next(e for e in _truth(csv) if e["type"] == "thrust")

    def change(lines):
        th = next(e for e in lines if e["type"] == "thrust")
        th["peak_n"] = th["peak_n"] * 2                      # found, its peak far off
        extra = [dict(th, t_peak=th["t_peak"] + 3.0 + i) for i in range(7)]   # seven never made
        return lines + extra + [{"type": "cavitation", "t": 0.5, "thrust": None}]
    _edit_truth(csv, change)
    r = gc("evaluate", csv, "--no-audio")
    assert r.returncode == 1, r.stderr
    out = r.stdout.splitlines()
    assert out[2] == ("    --max-missed-thrusts: " + "; ".join(
        f"thrust peaking at {thrust['t_peak'] + 3.0 + i:.2f} s not found" for i in range(5)) + "; and 2 more")
    assert out[3].startswith(f"    --max-peak-error: thrust peaking at {thrust['t_peak']:.2f} s: ")
    assert out[3].endswith(f" N, expected {2 * thrust['peak_n']:.1f} N")
    assert len(out) == 4
    got = json.loads(gc("evaluate", csv, "--no-audio", "--format", "jsonl").stdout)
    assert len(got["which"]["--max-missed-thrusts"]) == 7 and len(got["which"]["--max-peak-error"]) == 1


def test_a_thrust_missed_fails(made, tmp_path):
    csv = _copy(made, tmp_path, "t")
    _edit_truth(csv, lambda lines: lines + [dict(next(e for e in lines if e["type"] == "thrust"),
                                                 t_peak=lines[-1]["t_peak"] + 3.0)])
    r = gc("evaluate", csv, "--format", "jsonl")
    assert r.returncode == 1, r.stderr
    got = json.loads(r.stdout)
    assert (got["thrusts_expected"], got["thrusts_found"], got["thrusts_missed"]) == (2, 1, 1)
    assert got["below"] == ["thrusts expected and not found: 1 (at most 0, --max-missed-thrusts)"]
    assert gc("evaluate", csv, "--max-missed-thrusts", "1").returncode == 0


@pytest.mark.parametrize("make, said", [
    (lambda c: c.with_name("g3.expected.jsonl").unlink(),
     "{c}: no g3.expected.jsonl beside it: evaluate compares a recording with the expected events "
     "'gradecoach simulate' writes beside it"),
    (lambda c: c.with_name("g3.expected.jsonl").write_text(
        c.with_name("g3.expected.jsonl").read_text() + "{oops\n"), "{t}:12: not a JSON object"),
    (lambda c: _edit_truth(c, lambda lines: lines[1:]),
     "{t}:1: not the settings line 'gradecoach simulate' writes first "
     "({{\"type\": \"fixture\", \"r1_n\": …, \"r2_n\": …}})"),
    (lambda c: _edit_truth(c, lambda lines: lines[0].update(r1_n=None)), "{t}:1: r1_n is null, not a positive number"),
    # a pop line is checked as the others are (it gave a traceback, KeyError 't')
    (lambda c: _edit_truth(c, lambda lines: lines + [{"type": "cavitation", "thrust": 0}]),
     "{t}:12: a cavitation without t"),
    (lambda c: _edit_truth(c, lambda lines: lines + [{"type": "cavitation", "t": "1.5", "thrust": 0}]),
     "{t}:12: a cavitation's t is \"1.5\", not a number of seconds"),
    (lambda c: c.with_name("g3.expected.jsonl").write_text(
        c.with_name("g3.expected.jsonl").read_text() + '{"type": "cavitation", "t": NaN}\n'),
     "{t}:12: a cavitation's t is NaN, not a number of seconds"),
    (lambda c: _edit_truth(c, lambda lines: lines + [{"type": "cavitation", "t": 1.5, "thrust": 0.5}]),
     "{t}:12: a cavitation's thrust is 0.5, not a thrust's number (0 for the first) or null"),
])
def test_bad_input_is_one_line_and_exit_2(made, tmp_path, make, said):
    csv = _copy(made, tmp_path)
    make(csv)
    r = gc("evaluate", csv)
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["gradecoach: error: " + said.format(c=csv, t=csv.with_name("g3.expected.jsonl"))]
    assert r.stdout == ""


def test_a_folder_without_expected_events_and_a_bad_threshold(tmp_path):
    r = gc("evaluate", tmp_path)
    assert r.returncode == 2 and r.stderr.splitlines() == [
        f"gradecoach: error: {tmp_path}: no recording with its expected events (NAME.csv beside "
        f"NAME.expected.jsonl) in this folder"]
    r = gc("evaluate", tmp_path, "--min-grade-accuracy", "120")
    assert r.returncode == 2 and r.stderr.splitlines() == [
        "gradecoach: error: --min-grade-accuracy 120: give 0–100 (per cent)"]


def test_it_is_documented():
    assert "gradecoach evaluate" in (ROOT / "README.md").read_text(encoding="utf-8")
    text = (ROOT / "docs" / "analysis.md").read_text(encoding="utf-8")
    assert "gradecoach evaluate" in text and "--min-grade-accuracy" in text


def test_the_pops_of_the_sound_beside(tmp_path):
    """With the sound simulate --audio wrote beside it, its pops are scored too (as the fixture
    tests score them); --no-audio leaves them out."""
    for suffix in (".csv", ".expected.jsonl", ".flac"):
        shutil.copy(ROOT / "fixtures" / f"thrust_pops{suffix}", tmp_path / f"thrust_pops{suffix}")
    csv = tmp_path / "thrust_pops.csv"
    r = gc("evaluate", csv)
    assert r.returncode == 0, r.stdout + r.stderr
    truth = [json.loads(x) for x in csv.with_suffix(".expected.jsonl").read_text().splitlines()]
    pops = sum(e["type"] == "cavitation" for e in truth)
    assert r.stdout.splitlines()[0].endswith(f"; pops {pops} of {pops} heard, 0 not expected")

    _edit_truth(csv, lambda lines: lines + [{"type": "cavitation", "t": 1.0, "thrust": 0}])
    r = gc("evaluate", csv)
    assert r.returncode == 1
    assert r.stdout.splitlines()[1:] == ["  below the thresholds: pops expected and not heard within 5 ms, tied to "
                                         "their thrust: 1 (at most 0, --max-missed-pops)",
                                         "    --max-missed-pops: pop at 1.000 s not heard within 5 ms"]
    r = gc("evaluate", csv, "--no-audio")
    assert r.returncode == 0 and "; pops" not in r.stdout


def _thrust_pops(tmp_path):
    for suffix in (".csv", ".expected.jsonl", ".flac"):
        shutil.copy(ROOT / "fixtures" / f"thrust_pops{suffix}", tmp_path / f"thrust_pops{suffix}")
    return tmp_path / "thrust_pops.csv"


def test_a_thrust_not_expected_does_not_shift_the_pops_after_it(tmp_path):
    """Without the first thrust (and its 4 pops) in the expected events, the 9 pops of the others
    are still heard, tied to their thrusts: a detected pop's thrust is told as the expected thrust
    it was found as, not by the detector's own count (which said 0 of 9 heard)."""
    csv = _thrust_pops(tmp_path)

    def drop_first_thrust(lines):
        first = next(k for k, e in enumerate(lines) if e["type"] == "thrust")
        del lines[first]
        kept = [e for e in lines if not (e["type"] == "cavitation" and e["thrust"] == 0)]
        for e in kept:
            if e["type"] == "cavitation":
                e["thrust"] -= 1
        return kept
    _edit_truth(csv, drop_first_thrust)
    r = gc("evaluate", csv)
    assert r.returncode == 1
    first = r.stdout.splitlines()[0]
    assert "; thrusts 5 of 5 found, 0 missed, 1 not expected; " in first
    assert first.endswith("; pops 9 of 9 heard, 4 not expected")


def test_a_pop_heard_once_is_heard_for_one_expected_pop(tmp_path):
    """Two pops expected 1 ms apart and one detected there: one of them is heard, not both."""
    csv = _thrust_pops(tmp_path)

    def twice(lines):
        pop = next(e for e in lines if e["type"] == "cavitation")
        return lines + [dict(pop, t=round(pop["t"] + 0.001, 6))]
    _edit_truth(csv, twice)
    r = gc("evaluate", csv, "--format", "jsonl")
    got = json.loads(r.stdout)
    assert (got["pops_expected"], got["pops_heard"], got["pops_not_expected"]) == (14, 13, 0)
    assert got["below"] == ["pops expected and not heard within 5 ms, tied to their thrust: 1 "
                            "(at most 0, --max-missed-pops)"]


def test_a_symbolic_link_that_loops_is_said_so(tmp_path):
    """As every other command says it (it said "no such file or folder"), given or in a folder."""
    (tmp_path / "a.csv").symlink_to("a.csv")
    r = gc("evaluate", tmp_path / "a.csv")
    assert r.returncode == 2 and r.stderr.splitlines() == [f"gradecoach: error: {tmp_path / 'a.csv'}: "
                                                           "a symbolic link that loops"]
    (tmp_path / "a.expected.jsonl").write_text("")
    r = gc("evaluate", tmp_path)
    assert r.returncode == 2 and r.stderr.splitlines() == [f"gradecoach: error: {tmp_path / 'a.csv'}: "
                                                           "a symbolic link that loops"]


def _first(kind: str, **changed):
    def edit(lines):
        next(e for e in lines if e["type"] == kind).update(changed)
    return edit


@pytest.mark.parametrize("name, edit, said", [
    ("g3", _first("cycle", t_crest="5.0"), "a cycle's t_crest is \"5.0\", not a number"),
    ("g3", _first("cycle", freq_hz=0), "a cycle's freq_hz is 0, not a frequency over 0"),
    ("g3", _first("cycle", grade="VII"), "a cycle's grade is \"VII\", not one of I, II, III, IV"),
    ("g3", _first("cycle", modifier="+++"), "a cycle's modifier is \"+++\", not one of '--', '-', '', '+', '++' or null"),
    ("t", _first("thrust", peak_n=0), "a thrust's peak_n is 0, not a number over 0"),
    ("t", _first("thrust", time_to_peak_ms=None), "a thrust's time_to_peak_ms is null, not a number over 0"),
])
def test_a_truth_file_edited_by_hand_is_one_line_naming_its_line(made, tmp_path, name, edit, said):
    """Fields evaluate cannot compare with were tracebacks (TypeError, ZeroDivisionError, exit 1:
    the status of a regression) or, for a grade that is none, counted as wrong grades."""
    csv = _copy(made, tmp_path, name)
    _edit_truth(csv, edit)
    truth = csv.with_suffix(".expected.jsonl")
    n = next(i for i, x in enumerate(truth.read_text().splitlines(), 1) if json.loads(x)["type"] != "fixture")
    r = gc("evaluate", csv)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert r.stderr.splitlines() == [f"gradecoach: error: {truth}:{n}: {said}"]


def test_a_byte_order_mark_is_read_as_replay_reads_it(made, tmp_path):
    csv = _copy(made, tmp_path)
    truth = csv.with_suffix(".expected.jsonl")
    truth.write_bytes(b"\xef\xbb\xbf" + truth.read_bytes())
    assert gc("evaluate", csv).returncode == 0


def test_a_reader_that_stops_reading_leaves_the_verdict(made, tmp_path):
    """``evaluate … | head -1`` under pipefail: a file below the thresholds after the first line
    read was status 0 (a closed pipe ended the command as done)."""
    import subprocess
    import sys
    a, b = _copy(made, tmp_path), _copy(made, tmp_path, "t")
    _edit_truth(b, _first("thrust", peak_n=1.0))                 # (its peak far off: below the thresholds)
    r = subprocess.run(f'set -o pipefail; "{sys.executable}" -m ui.cli evaluate "{a}" "{b}" | head -c 10',
                       shell=True, executable="/bin/bash", cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr


def test_sound_missing_or_cut_short_fails_the_recording(tmp_path):
    """A recording whose truth expects pops, its sound not beside it (left out of a checkout), met
    the thresholds (exit 0, its pops said only in a warning) though --max-missed-pops is 0; its
    sound cut short stopped the command (exit 2) instead of scoring the pops it holds. Both fail
    the recording, its line saying how many pops were not scored and why."""
    for suffix in (".csv", ".expected.jsonl"):
        shutil.copy(ROOT / "fixtures" / f"thrust_pops{suffix}", tmp_path / f"thrust_pops{suffix}")
    csv = tmp_path / "thrust_pops.csv"
    r = gc("evaluate", csv)
    assert r.returncode == 1, r.stdout + r.stderr
    out = r.stdout.splitlines()
    assert out[0].startswith(f"{csv}: no cycles expected, 0 spurious; thrusts 6 of 6 found")
    assert out[0].endswith("; 13 expected pops not scored: no thrust_pops.flac, .wav, .ogg, .opus or .mp3 beside it")
    assert out[1:] == ["  below the thresholds: pops expected and not heard within 5 ms, tied to their thrust: 13, "
                       "13 of them not scored (at most 0, --max-missed-pops; --no-audio leaves them out)"]
    assert r.stderr == ""
    assert gc("evaluate", csv, "--max-missed-pops", "13").returncode == 0
    r = gc("evaluate", csv, "--no-audio")
    assert (r.returncode, r.stderr) == (0, "") and "pops not scored" not in r.stdout
    got = json.loads(gc("evaluate", csv, "--format", "jsonl").stdout)
    assert (got["pops_expected"], got["pops_not_scored"]) == (13, 13)

    flac = tmp_path / "thrust_pops.flac"
    flac.write_bytes((ROOT / "fixtures" / "thrust_pops.flac").read_bytes()[:60000])
    r = gc("evaluate", csv)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stdout.splitlines()[0].endswith("; pops 4 of 4 heard, 0 not expected; 9 expected pops not scored: "
                                             "thrust_pops.flac covers only 0.00–3.55 s")
    assert any(line.startswith(f"gradecoach: warning: {flac}: audio unreadable after") for line in r.stderr.splitlines())
    assert "error" not in r.stderr


def test_expected_events_of_another_recording_are_said(made, tmp_path):
    """Expected events written for another file, or lying past the recording's end (a recording
    cut short) read as a regression without a word of why."""
    csv = _copy(made, tmp_path)
    cut = tmp_path / "half.csv"
    cut.write_text("\n".join(csv.read_text().splitlines()[:1500]) + "\n")
    csv.with_suffix(".expected.jsonl").rename(tmp_path / "half.expected.jsonl")
    r = gc("evaluate", cut)
    assert r.returncode == 1
    said = r.stderr.splitlines()
    assert said[0] == (f"gradecoach: warning: {cut}: its half.expected.jsonl was written for g3.csv; its figures "
                       f"are this recording's against that one's expected events")
    assert said[1].startswith(f"gradecoach: warning: {cut}: ") and "lie outside the recording" in said[1]
    said = gc("evaluate", ROOT / "fixtures").stderr.splitlines()    # (the fixtures are their own)
    assert not [x for x in said if "written for" in x or "lie outside" in x], said


def test_a_wrong_grade_is_not_also_a_wrong_modifier(made, tmp_path):
    """One mistake breaks one threshold: an expected III+ graded II is a grade not as expected,
    and the modifier share is over the cycles whose grade was as expected (it counted it a wrong
    modifier too, 0.0 %, and listed the same cycles under both options)."""
    for suffix in (".csv", ".expected.jsonl"):
        shutil.copy(ROOT / "fixtures" / f"lumbar_grade2{suffix}", tmp_path / f"g2{suffix}")
    csv = tmp_path / "g2.csv"

    def to_iii_plus(lines):
        for e in [e for e in lines if e["type"] == "cycle"][:2]:
            e["grade"], e["modifier"] = "III", "+"
    _edit_truth(csv, to_iii_plus)
    r = gc("evaluate", csv)
    assert r.returncode == 1, r.stderr
    out = r.stdout.splitlines()
    assert out[1] == "  below the thresholds: cycles found graded as expected: 83.3 % (at least 95 %, --min-grade-accuracy)"
    assert len(out) == 3 and out[2].startswith("    --min-grade-accuracy: cycle at ")
    got = json.loads(gc("evaluate", csv, "--format", "jsonl").stdout)
    assert got["modifier_accuracy_pct"] is None                       # no III or IV graded as expected
    assert list(got["which"]) == ["--min-grade-accuracy"]
    assert gc("evaluate", csv, "--min-grade-accuracy", "80").returncode == 0


def test_the_modifier_share_is_over_the_grades_as_expected(made, tmp_path):
    """Two of ten expected III given as IV: grades 8 of 10, modifiers 8 of the 8 graded III as
    expected (it said 8 of 10, 80 %, below --min-modifier-accuracy's 90 %)."""
    csv = _copy(made, tmp_path)

    def to_iv(lines):
        for e in [e for e in lines if e["type"] == "cycle"][:2]:
            e["grade"] = "IV"
    _edit_truth(csv, to_iv)
    got = json.loads(gc("evaluate", csv, "--format", "jsonl").stdout)
    assert (got["grade_accuracy_pct"], got["modifier_accuracy_pct"]) == (80.0, 100.0)
    assert list(got["which"]) == ["--min-grade-accuracy"]
    assert gc("evaluate", csv, "--min-grade-accuracy", "80").returncode == 0
