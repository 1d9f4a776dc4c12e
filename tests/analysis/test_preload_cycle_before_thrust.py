"""A wobble on a held preload, confirmed as a "cycle" just as the thrust out of it sets off, is
dropped with the thrust's preload live as on replay.

Live (chunks of a few samples) the cycle was confirmed while the thrust candidate was still
undecided, and was given because the candidate had begun after the cycle's end; replayed whole,
the thrust was already accepted and the cycle dropped as part of its preload. A recording then
held a cycle (IV++, "beyond R2", its crest averaged into the thrust's rise) that its replay did not.
"""

from __future__ import annotations

import pytest

from analysis.force import ForceProcessor
from analysis.scheme import GradingScheme
from tests.conftest import simulate


def events(t, y, chunk: int | None) -> list[dict]:
    p = ForceProcessor(GradingScheme(40, 120))
    out = []
    if chunk is None:
        out += p.feed_arrays(t, y)
    else:
        for i in range(0, len(t), chunk):
            out += p.feed_arrays(t[i:i + chunk], y[i:i + chunk])
    out += p.finish()
    return [e.to_dict() for e in out]


@pytest.mark.parametrize("seed, letup_n", [(29, 15), (32, 15)])
def test_thrusts_from_a_held_preload_give_the_same_events_live_and_whole(seed, letup_n):
    t, y, _ = simulate("V", rate=500, seed=seed, sets=3, letup_n=letup_n, peak_n=700)
    whole = events(t, y, None)
    live = events(t, y, 25)
    assert [e["type"] for e in live if e["type"] in ("cycle", "thrust")] == ["thrust"] * 3
    assert live == whole
