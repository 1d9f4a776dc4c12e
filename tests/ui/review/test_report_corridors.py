"""The report names a V (HVLA) target's corridors in its facts and says in its thrusts table
whether each thrust was on target, as the trainer judged it."""

from __future__ import annotations

import json
import re

from ui.cli import main

from .conftest import make_session
from ._report_page import Page


def _facts(text: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", text))


def test_report_names_the_corridors_and_each_thrusts_verdict(tmp_path):
    s = make_session(tmp_path / "kept", kinds=("V", "V"), target="V", seed=1)
    meta = json.loads((s / "session.json").read_text())
    meta["target_detail"] = {"text": "V", "grade": "V", "preload_n": [120.0, 135.0], "peak_n": [500.0, 700.0]}
    (s / "session.json").write_text(json.dumps(meta))
    out = tmp_path / "r.html"
    assert main(["report", str(s), "-o", str(out)]) == 0
    text = out.read_text()
    assert _facts(text)["target"] == "V, preload 120–135 N, peak 500–700 N"
    rows = Page(text).table("thrusts")
    assert len(rows) == 2
    for row in rows:
        peak, preload = float(row["peak (N)"]), float(row["preload (N)"])
        verdict = row["on target"]
        if 500 <= peak <= 700 and 120 <= preload <= 135:
            assert verdict == "yes"
        else:
            assert verdict.startswith("no — ") and ("500–700 N" in verdict or "120–135 N" in verdict)
    # the score counts the thrusts said on target
    score = _facts(text)["score (% of thrusts on target)"]
    assert float(score) == 100.0 * sum(r["on target"] == "yes" for r in rows) / 2


def test_report_target_v_option_judges_by_the_trainers_corridors(tmp_path):
    s = make_session(tmp_path / "plain", kinds=("V",), target="III", seed=1)
    out = tmp_path / "r.html"
    assert main(["report", str(s), "--target", "V", "-o", str(out)]) == 0
    text = out.read_text()
    assert _facts(text)["target"] == "V, preload 100–160 N, peak 400–650 N"
    assert "on target" in Page(text).tables["thrusts"][0]
