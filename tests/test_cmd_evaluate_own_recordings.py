"""``gradecoach evaluate`` as a CI maintainer checking recordings and expected events of their
own meets it: the time-to-peak check follows the rate the recording was sampled at, not the
``rate_hz`` a hand-written expected-events file says (a wrong one turned the check off, or on
for a 100 Hz file, without a word)."""

from __future__ import annotations

import json
import shutil

import pytest

from tests._cli_in_process import gc_in_process
from tests._evaluate_copies import _copy, _edit_truth as edit_truth


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A thrust at 1000 Hz and one at 100 Hz, as simulate writes them."""
    from tests.conftest import gc

    d = tmp_path_factory.mktemp("own")
    for rate in (1000, 100):
        r = gc("simulate", "--thrust", "--rate", rate, "-o", d / f"t{rate}.csv")
        assert r.returncode == 0, r.stderr
    return d


def _edit_truth(csv, change):
    """Change each expected event in place (``change(event)``)."""
    edit_truth(csv, lambda lines: [change(e) for e in lines] and None)


def test_a_wrong_rate_in_the_expected_events_does_not_turn_the_time_to_peak_check_off(made, tmp_path, capfd):
    csv = _copy(made, tmp_path, "t1000")

    def change(e):
        if e["type"] == "fixture":
            e["rate_hz"] = 100
        elif e["type"] == "thrust":
            e["time_to_peak_ms"] += 80
    _edit_truth(csv, change)
    r = gc_in_process(capfd, "evaluate", csv)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "error of a found thrust's time to peak (at 200 Hz or more): " in r.stdout
    assert "--max-time-to-peak-error: thrust peaking at " in r.stdout
    assert r.stderr.splitlines() == [
        f"gradecoach: warning: {csv}: its t1000.expected.jsonl says rate_hz 100, the recording is sampled at "
        f"1000 Hz; scored at 1000 Hz"]
    got = json.loads(gc_in_process(capfd, "evaluate", csv, "--format", "jsonl").stdout)
    assert got["median_ttp_err_ms"] > 60


def test_a_100_hz_recording_is_not_checked_for_time_to_peak_whatever_its_expected_rate(made, tmp_path, capfd):
    csv = _copy(made, tmp_path, "t100")

    def change(e):
        if e["type"] == "fixture":
            e["rate_hz"] = 1000
        elif e["type"] == "thrust":
            e["time_to_peak_ms"] += 40
    _edit_truth(csv, change)
    r = gc_in_process(capfd, "evaluate", csv, "--format", "jsonl")
    assert r.returncode == 0, r.stdout + r.stderr
    got = json.loads(r.stdout)
    assert (got["median_ttp_err_ms"], got["below"]) == (None, [])
    assert (f"{csv}: its t100.expected.jsonl says rate_hz 1000, the recording is sampled at 100 Hz; scored at "
            f"100 Hz") in r.stderr


def _rewrite(csv, change, columns=slice(1, None)):
    """``csv`` with ``change`` applied to each value of its ``columns`` (the sensor's, not the time)."""
    rows = csv.read_text().splitlines()
    out = [rows[0]]
    for row in rows[1:]:
        cells = row.split(",")
        cells[columns] = [f"{change(float(c)):.6f}" for c in cells[columns]]
        out.append(",".join(cells))
    csv.write_text("\n".join(out) + "\n")


@pytest.mark.parametrize("change, said", [
    (lambda v: v * 1000, "is it in newtons?"),
    (lambda v: -v, "the sensor's sign is reversed"),
])
def test_what_the_analysis_warns_of_a_force_recording_is_said(made, tmp_path, capfd, change, said):
    """The analysis's own warnings of the input, which replay prints, were left out: a file in
    millinewtons or with its sign reversed failed with only its symptoms."""
    csv = _copy(made, tmp_path, "t1000")
    _rewrite(csv, change)
    r = gc_in_process(capfd, "evaluate", csv)
    mine = [w for w in r.stderr.splitlines() if said in w]
    assert len(mine) == 1 and mine[0].startswith(f"gradecoach: warning: {csv}: "), r.stderr
    got = json.loads(gc_in_process(capfd, "evaluate", csv, "--format", "jsonl").stdout)
    assert [w for w in got["warnings"] if said in w] == [mine[0].removeprefix("gradecoach: warning: ")]


@pytest.fixture(scope="module")
def imu_made(tmp_path_factory):
    """A thrust with a hand-worn IMU, as simulate writes it, and the same IMU's in g."""
    from tests.conftest import gc

    d = tmp_path_factory.mktemp("own_imu")
    r = gc("simulate", "--thrust", "--imu", "200", "-o", d / "x.csv")
    assert r.returncode == 0, r.stderr
    for suffix in (".imu.csv", ".imu-expected.jsonl"):
        shutil.copy(d / f"x{suffix}", d / f"g{suffix}")
    _rewrite(d / "g.imu.csv", lambda v: v / 9.80665, slice(1, 4))
    return d


def test_an_imu_in_g_is_said(imu_made, capfd):
    imu = imu_made / "g.imu.csv"
    r = gc_in_process(capfd, "evaluate", imu)
    assert r.returncode == 1
    said = [w for w in r.stderr.splitlines() if "units in g? give m/s²" in w]
    assert len(said) == 1 and said[0].startswith(f"gradecoach: warning: {imu}: IMU acceleration averages "), r.stderr
    got = json.loads(gc_in_process(capfd, "evaluate", imu, "--format", "jsonl").stdout)
    assert any("units in g? give m/s²" in w for w in got["warnings"])


def test_a_clean_recording_has_no_warnings(made, capfd):
    r = gc_in_process(capfd, "evaluate", made / "t1000.csv", "--format", "jsonl")
    assert r.returncode == 0 and r.stderr == ""
    assert json.loads(r.stdout)["warnings"] == []


def test_every_jsonl_line_has_the_same_keys(made, imu_made, capfd):
    """A force recording's line had no pops keys without a sound, and an IMU's keys only when
    its analysis found IMU cycles: a CI job reading them met a KeyError from file to file."""
    r = gc_in_process(capfd, "evaluate", made / "t1000.csv", imu_made / "x.imu.csv", imu_made / "g.imu.csv",
                      "--format", "jsonl")
    force, imu, nothing = (json.loads(x) for x in r.stdout.splitlines())
    assert list(force) == list(imu) == list(nothing)
    assert (force["pops_expected"], force["pops_heard"], force["imu_cycles_truth"], force["imu_spurious"]) == \
        (None, None, None, None)
    assert (nothing["imu_cycles_truth"], nothing["imu_spurious"]) == (0, 0)


def test_an_imu_whose_analysis_found_nothing_keeps_the_imu_wording(imu_made, capfd):
    imu = imu_made / "g.imu.csv"
    r = gc_in_process(capfd, "evaluate", imu)
    assert r.stdout.startswith(f"{imu}: IMU cycles 0 of 0 found (0.5 mm or more), 0 spurious; thrusts 0 of "), \
        r.stdout


def test_a_bad_recording_among_others_is_said_and_the_others_scored(made, tmp_path, capfd):
    """One bad CSV stopped the run (exit 2 at the first error, the files after it never scored);
    it is said in its line on stderr and counted, the others scored, and the status is 2 at the
    end (bad input outranks a file below the thresholds)."""
    for name in ("a", "b", "c"):
        for suffix in (".csv", ".expected.jsonl"):
            shutil.copy(made / f"t1000{suffix}", tmp_path / f"{name}{suffix}")
    rows = (tmp_path / "b.csv").read_text().splitlines()
    (tmp_path / "b.csv").write_text("\n".join(["Zeit [s],Kraft [N]"] + rows[1:]) + "\n")
    (tmp_path / "c.expected.jsonl").write_text("not json\n")
    (tmp_path / "d.csv").write_text((tmp_path / "a.csv").read_text())
    (tmp_path / "d.expected.jsonl").write_text((tmp_path / "a.expected.jsonl").read_text())
    r = gc_in_process(capfd, "evaluate", "a.csv", "b.csv", "c.csv", "d.csv", cwd=tmp_path)
    assert r.returncode == 2, r.stdout + r.stderr
    out = r.stdout.splitlines()
    assert [x.split(":")[0] for x in out[:2]] == ["a.csv", "d.csv"]
    assert out[2].startswith("all 2 recordings: ")
    assert out[3:] == ["all 2 evaluated meet the thresholds; 2 of 4 could not be evaluated (bad input)"]
    errors = [x for x in r.stderr.splitlines() if x.startswith("gradecoach: error: ")]
    assert len(errors) == 2 and errors[0].startswith("gradecoach: error: b.csv:1: header lacks column 't_s'")
    assert errors[1] == "gradecoach: error: c.expected.jsonl:1: not a JSON object"
    r = gc_in_process(capfd, "evaluate", "a.csv", "b.csv", cwd=tmp_path)
    assert r.stdout.splitlines()[1:] == ["the one evaluated meets the thresholds; 1 of 2 could not be evaluated "
                                         "(bad input)"]
    r = gc_in_process(capfd, "evaluate", "a.csv", "b.csv", "--format", "jsonl", cwd=tmp_path)
    assert r.returncode == 2
    assert [json.loads(x)["file"] for x in r.stdout.splitlines()] == ["a.csv"]


@pytest.mark.parametrize("given, said", [
    (["--min-grade-accuracy", "0.95"], "--min-grade-accuracy 0.95: 0.95 reads as 0.95 %; give 95 (per cent)"),
    (["--min-cycles-found", "0.9"], "--min-cycles-found 0.9: 0.9 reads as 0.9 %; give 90 (per cent)"),
    (["--max-spurious", "1.5"], "--max-spurious 1.5: give a whole number, 0 or more"),
])
def test_a_threshold_given_as_a_fraction_or_a_part_count_is_refused(made, capfd, given, said):
    """A share given as a fraction passed anything (0.95 % of cycles graded as expected), and a
    count of 1.5 was taken."""
    r = gc_in_process(capfd, "evaluate", made / "t1000.csv", *given)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: {said}"]


def test_expected_events_saved_as_utf_16_are_read(made, tmp_path, capfd):
    """PowerShell's ``>`` saves UTF-16 with a byte order mark: it was a codec's message ("'utf-8'
    codec can't decode byte 0xff")."""
    csv = _copy(made, tmp_path, "t1000")
    t = csv.with_suffix(".expected.jsonl")
    t.write_bytes(t.read_text(encoding="utf-8").encode("utf-16"))
    r = gc_in_process(capfd, "evaluate", csv)
    assert r.returncode == 0, r.stdout + r.stderr


def test_expected_events_in_another_encoding_are_refused_naming_the_file(made, tmp_path, capfd):
    csv = _copy(made, tmp_path, "t1000")
    t = csv.with_suffix(".expected.jsonl")
    t.write_bytes(t.read_bytes().replace(b'"simulate"', '"simulé"'.encode("cp1252")))
    r = gc_in_process(capfd, "evaluate", csv)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {t}: not text in UTF-8 (nor UTF-16 with a byte order "
                                     f"mark): save it as UTF-8"]
