"""A thrust's first pop 0.3 ms before its peak is "0" ms from the peak in the report's thrusts
table, as replay says it ("first at peak force"), not "-0"."""

from __future__ import annotations

import json

import pytest

from analysis.summary import describe_pops
from tests.conftest import gc
from tests.ui.review.conftest import make_session


def _first_pop_at(folder, ms: float) -> None:
    """The session's stored thrust given its first pop ``ms`` from its peak, as analysed."""
    lines = []
    for line in (folder / "events.jsonl").read_text(encoding="utf-8").splitlines():
        e = json.loads(line)
        for t in e.get("thrusts", [e] if e.get("type") == "thrust" else []):
            t["pops"], t["first_pop_ms_from_peak"] = 2, ms
        lines.append(json.dumps(e))
    (folder / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("ms, shown, said", [(-0.3, "0", "2 pops, first at peak force"),
                                             (0.4, "0", "2 pops, first at peak force"),
                                             (-6.0, "-6", "2 pops, first 6 ms before peak force"),
                                             (2.6, "+3", "2 pops, first 3 ms after peak force")])
def test_a_pop_at_the_peak_is_0_ms_from_it(tmp_path, ms, shown, said):
    folder = make_session(tmp_path / "v", kinds=("V",), target="V", audio=True, cycles=3)
    _first_pop_at(folder, ms)
    r = gc("report", folder, "-o", tmp_path / "r.html")
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert f"<td>2</td><td>{shown}</td>" in page and "<td>-0</td>" not in page and "<td>+0</td>" not in page
    assert describe_pops(2, ms) == said                 # (as replay's table words it)
