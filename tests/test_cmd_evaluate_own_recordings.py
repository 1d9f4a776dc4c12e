"""``gradecoach evaluate`` as a CI maintainer checking recordings and expected events of their
own meets it: the time-to-peak check follows the rate the recording was sampled at, not the
``rate_hz`` a hand-written expected-events file says (a wrong one turned the check off, or on
for a 100 Hz file, without a word)."""

from __future__ import annotations

import json
import shutil

import pytest

from tests._cli_in_process import gc_in_process


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A thrust at 1000 Hz and one at 100 Hz, as simulate writes them."""
    from tests.conftest import gc

    d = tmp_path_factory.mktemp("own")
    for rate in (1000, 100):
        r = gc("simulate", "--thrust", "--rate", rate, "-o", d / f"t{rate}.csv")
        assert r.returncode == 0, r.stderr
    return d


def _copy(made, tmp_path, name):
    for suffix in (".csv", ".expected.jsonl"):
        shutil.copy(made / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    return tmp_path / f"{name}.csv"


def _edit_truth(csv, change):
    t = csv.with_name(csv.stem + ".expected.jsonl")
    lines = [json.loads(x) for x in t.read_text().splitlines()]
    for e in lines:
        change(e)
    t.write_text("".join(json.dumps(e) + "\n" for e in lines))


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
