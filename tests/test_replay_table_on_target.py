"""``replay --format table`` of a V/HVLA session says whether each thrust was on target and how
many were ("thrusts on target: 2 of 3 (67 %)"), as the report's thrusts table and the review's
details say it: the table gave neither, so its reader could not see the score the review shows.
``--target V`` judges them so too, against the trainer's corridors; another target does not."""

from __future__ import annotations

import html
import json
import re

from tests.conftest import gc
from tests.ui.review.conftest import make_session


def _on_target(text: str) -> tuple[str, list[str]]:
    """The table's count of thrusts on target, and each thrust's verdict (its last column)."""
    lines = text.splitlines()
    count = next(ln.strip() for ln in lines if ln.strip().startswith("thrusts on target:"))
    head = next(i for i, ln in enumerate(lines) if ln.strip().startswith("thrust "))
    col = lines[head].index("on target")
    return count, [ln[col:] for ln in lines[head + 1:] if ln.strip()]


def test_the_table_judges_each_thrust_as_the_report_and_review_do(tmp_path):
    folder = make_session(tmp_path / "v", kinds=("V", "V", "V"), target="V", seed=2)
    meta = json.loads((folder / "session.json").read_text())
    # corridors the trainer's screen showed: the third thrust's 97.6 N preload lies below them
    meta["extra"]["target_detail"] = {"text": "V", "preload_n": [98, 160], "peak_n": [390, 650]}
    (folder / "session.json").write_text(json.dumps(meta))
    r = gc("replay", folder, "--format", "table")
    assert r.returncode == 0, r.stderr
    count, verdicts = _on_target(r.stdout)
    assert count == "thrusts on target: 2 of 3 (67 %)"
    assert verdicts == ["yes", "yes", "no — preload 97.6 N below 98–160 N"]

    out = tmp_path / "r.html"
    assert gc("report", folder, "-o", out).returncode == 0
    page = html.unescape(out.read_text(encoding="utf-8"))
    score = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page))["score (% of thrusts on target)"]
    assert f"{float(score):.0f}" == "67"                 # (the report gives it to a tenth)
    assert all(f"<td>{v}</td>" in page for v in verdicts)
    from ui.review.data import HVLA_SCORE, describe_session, open_review
    assert dict(describe_session(open_review(folder, movement=False)))[HVLA_SCORE] == "67 %"


def test_target_v_given_judges_against_the_trainers_corridors(tmp_path):
    folder = make_session(tmp_path / "iii", kinds=("V",), target="III", seed=2)
    plain = gc("replay", folder, "--format", "table").stdout
    assert "on target" not in plain.split("\n\n")[-1] and "thrusts on target" not in plain
    count, verdicts = _on_target(gc("replay", folder, "--format", "table", "--target", "V").stdout)
    assert count == "thrusts on target: 1 of 1 (100 %)"        # (preload 101 N, peak 402 N)
    assert verdicts == ["yes"]


def test_a_v_session_without_a_thrust_says_so(tmp_path):
    folder = make_session(tmp_path / "n", kinds=("III",), target="V")
    r = gc("replay", folder, "--format", "table")
    assert "  thrusts on target: no thrust performed" in r.stdout.splitlines()


def test_an_imu_alones_thrusts_are_not_judged(tmp_path):
    from tests.ui.review.conftest import imu_and_force_sessions
    _, imu, _, _ = imu_and_force_sessions(tmp_path)
    count, verdicts = _on_target(gc("replay", imu, "--format", "table").stdout)
    assert count == f"thrusts on target: – ({len(verdicts)} not judged: an IMU measures no force)"
    assert verdicts and set(verdicts) == {"– (an IMU measures no force)"}
