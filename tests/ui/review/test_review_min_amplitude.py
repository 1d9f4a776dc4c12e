"""Review grades a session it analyses again (no usable stored events, or new R1/R2) with the
fixed minimum amplitude the session was recorded with (``extra.min_amplitude_n``), as replay
and report do; it used the default minimum, so oscillations left out while recording came back
as cycles."""

from __future__ import annotations

import json

from tests.ui.review.conftest import make_session
from ui.review.data import analyse_events, open_review


def _cycles(events) -> int:
    return sum(e["type"] == "cycle" for e in events)


def _keep_min_amplitude(folder, n) -> None:
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    meta.setdefault("extra", {})["min_amplitude_n"] = n
    mp.write_text(json.dumps(meta))


def test_review_analyses_with_the_stored_minimum_amplitude(tmp_path):
    plain = make_session(tmp_path / "plain", events=False)
    kept = make_session(tmp_path / "kept", events=False)
    _keep_min_amplitude(kept, 1000.0)                # larger than any oscillation of the session
    a, b = open_review(plain), open_review(kept)
    assert a.source == b.source == "analysis"
    assert _cycles(a.events) >= 8
    assert _cycles(b.events) == 0
    # a re-analysis with new R1/R2 keeps it too
    assert _cycles(analyse_events(a, 30.0, 130.0, 0.5)) >= 8
    assert _cycles(analyse_events(b, 30.0, 130.0, 0.5)) == 0


def test_a_stored_value_that_is_not_a_force_is_the_default(tmp_path):
    kept = make_session(tmp_path / "kept", events=False)
    _keep_min_amplitude(kept, "lots")
    assert _cycles(open_review(kept).events) >= 8
