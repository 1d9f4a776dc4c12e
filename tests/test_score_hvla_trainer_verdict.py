"""A V/HVLA session's score counts the thrusts on target as the trainer judges each after it is
made (no let-up, preload and peak within the corridors), in ``library list``, the report and
the review alike: two 1000 N thrusts on a 70 N preload, without let-up, were scored 100 % while
the trainer said "target V: off target — preload 70 N below 100–160 N · peak 1003 N above
400–650 N"."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from tests._cli_in_process import gc_in_process
from tests.ui.review.conftest import make_session
from ui.library import INDEX_NAME, Library, session_stats
from ui.trainer.target import DEFAULT_PEAK_N, DEFAULT_PRELOAD_N, Target, thrust_verdict


def _thrust_session(folder, sim, created, *, detail=None):
    """The simulated force ``sim`` as a session folder aimed at V, as ``record --device file:SIM
    --target V`` keeps it (its events analysed when read); ``detail``: the corridors the trainer
    kept in session.json (``extra.target_detail``)."""
    folder.mkdir(parents=True)
    shutil.copy(sim, folder / "force.csv")
    meta = {"schema_version": 1, "created": created, "trainee": "anna", "technique": "HVLA", "target": "V",
            "complete": True, "streams": {"force": {"file": "force.csv", "rate_hz": 500.0}}}
    if detail is not None:
        meta["extra"] = {"target_detail": detail}
    (folder / "session.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def sims(tmp_path_factory):
    d = tmp_path_factory.mktemp("sims")
    from ui.cli import main
    assert main(["simulate", "--thrust", "--sets", "2", "--preload", "70", "--peak", "1000", "-o",
                 str(d / "big.csv")]) == 0
    assert main(["simulate", "--thrust", "--sets", "2", "--preload", "130", "--peak", "520", "-o",
                 str(d / "good.csv")]) == 0
    return d / "big.csv", d / "good.csv"


def _listed(capfd, root) -> dict[str, str]:
    """``library list ROOT``'s score of each session, by its path ("–" for none)."""
    r = gc_in_process(capfd, "library", "list", root)
    assert r.returncode == 0, r.stderr
    out = {}
    for row in r.stdout.splitlines()[1:]:
        cells = row.split()
        out[cells[-1]] = next((c for c, n in zip(cells, cells[1:]) if n == "%"), "–")
    return out


def _report_score(capfd, folder, tmp_path) -> str:
    out = tmp_path / f"{folder.name}.html"
    r = gc_in_process(capfd, "report", folder, "-o", out)
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    return page.split("<dt>score (% of thrusts on target)</dt><dd>", 1)[1].split("<", 1)[0]


def _review_score(folder) -> str:
    from ui.review.data import HVLA_SCORE, describe_session, open_review
    return dict(describe_session(open_review(folder, movement=False)))[HVLA_SCORE]


def test_thrusts_off_the_trainers_corridors_score_0_and_on_them_100(sims, tmp_path, capfd):
    big, good = sims
    root = tmp_path / "class"
    big_s = _thrust_session(root / "big", big, "2026-10-01T10:00:00")
    good_s = _thrust_session(root / "good", good, "2026-10-01T11:00:00")
    assert _listed(capfd, root) == {"big": "0", "good": "100"}
    assert _report_score(capfd, big_s, tmp_path) == "0" and _report_score(capfd, good_s, tmp_path) == "100"
    assert _review_score(big_s) == "0 %" and _review_score(good_s) == "100 %"


def test_the_corridors_the_trainer_kept_are_the_ones_judged(sims, tmp_path, capfd):
    """A trainer session keeps the corridors its screen showed: the 1000 N thrusts are on a
    target of 50–90 N and 900–1100 N, the 520 N ones off it."""
    big, good = sims
    detail = {"grade": "V", "modifier": None, "rate_hz": None, "preload_n": [50.0, 90.0],
              "peak_n": [900.0, 1100.0], "text": "V"}
    root = tmp_path / "class"
    big_s = _thrust_session(root / "big", big, "2026-10-01T10:00:00", detail=detail)
    good_s = _thrust_session(root / "good", good, "2026-10-01T11:00:00", detail=detail)
    assert _listed(capfd, root) == {"big": "100", "good": "0"}
    assert _report_score(capfd, big_s, tmp_path) == "100" and _report_score(capfd, good_s, tmp_path) == "0"
    assert _review_score(big_s) == "100 %" and _review_score(good_s) == "0 %"


def test_the_score_counts_what_the_trainer_says_of_each_thrust():
    """The library's rule is the trainer's verdict: for each thrust, on target where the
    trainer says "on target"."""
    aim = Target.parse("V")
    assert (aim.preload_n, aim.peak_n) == (DEFAULT_PRELOAD_N, DEFAULT_PEAK_N)
    thrusts = [{"type": "thrust", "preload_n": 120.0, "peak_n": 500.0, "letup": False, "letup_n": 0.0,
                "time_to_peak_ms": 100.0},                                   # on target
               {"type": "thrust", "preload_n": 120.0, "peak_n": 500.0, "letup": True, "letup_n": 20.0,
                "time_to_peak_ms": 100.0},                                   # let up
               {"type": "thrust", "preload_n": 70.0, "peak_n": 1003.0, "letup": False, "letup_n": 0.0,
                "time_to_peak_ms": 100.0},                                   # off both corridors
               {"type": "thrust", "preload_n": None, "peak_n": None, "letup": False, "letup_n": None,
                "time_to_peak_ms": 100.0}]                                   # an IMU's: not judged
    said = [thrust_verdict(t, aim) for t in thrusts]
    assert said[2] == ("target V: off target — preload 70 N below 100–160 N · peak 1003 N above 400–650 N", False)
    assert [ok for _, ok in said] == [True, False, False, None]
    assert session_stats(thrusts, "V")["score_pct"] == pytest.approx(100 / 3)
    # a corridor the trainer kept unset is not judged, as the trainer does not judge it
    unset = {"preload_n": None, "peak_n": [900.0, 1100.0], "text": "V"}
    assert session_stats(thrusts[2:3], "V", target_detail=unset)["score_pct"] == 100.0


def test_an_index_scored_before_is_scored_again(sims, tmp_path, capfd):
    """An index of the version before holds the 1000 N session at 100 %: opened now, it is
    migrated and the session read again (the later versions read every row again, so the
    mobilisation session shows its own score too, not what the file held)."""
    big, _ = sims
    root = tmp_path / "class"
    _thrust_session(root / "big", big, "2026-10-01T10:00:00")
    make_session(root / "mob", cycles=3, created="2025-03-01T10:00:00+0100")   # (dated as a recording dates it)
    with Library(root) as lib:
        lib.refresh()
    mob_score = _listed(capfd, root)["mob"]
    assert mob_score != "55"
    con = sqlite3.connect(root / INDEX_NAME)
    con.execute("UPDATE sessions SET score_pct = 100.0 WHERE path = 'big'")      # as the version before scored it
    con.execute("UPDATE sessions SET score_pct = 55.0 WHERE path = 'mob'")
    con.execute("DELETE FROM schema_migrations WHERE version >= 7")            # (7: V sessions scored so)
    for column in ("n_beyond_r2", "audio_s", "n_pops"):                         # (added by versions 10, 11 and 12)
        con.execute(f"ALTER TABLE sessions DROP COLUMN {column}")
    con.commit()
    con.close()
    listed = _listed(capfd, root)
    assert listed["big"] == "0" and listed["mob"] == mob_score


def test_version_7_reads_again_only_the_sessions_with_thrusts(sims, tmp_path):
    """Version 7 alone changed how thrusts are scored: it sends back to be read only the rows
    that hold thrusts, not the mobilisation sessions beside them."""
    from ui.library.schema import MIGRATIONS
    big, _ = sims
    root = tmp_path / "class"
    _thrust_session(root / "big", big, "2026-10-01T10:00:00")
    make_session(root / "mob", cycles=3, created="2025-03-01T10:00:00+0100")
    with Library(root) as lib:
        lib.refresh()
    con = sqlite3.connect(root / INDEX_NAME)
    for statement in MIGRATIONS[7]:
        con.execute(statement)
    unread = {path for path, sig in con.execute("SELECT path, signature FROM sessions") if sig is None}
    con.close()
    assert unread == {"big"}
