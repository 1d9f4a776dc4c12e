"""session.json values that were read too harshly or too quietly: ``sensor.force_units: null``
is not given (N), as other null keys are, not a refusal of the session; a ``comments`` list with
entries that are not comments keeps its good ones (replay and report show them, as the review
does) with one warning; ``rate_measured_hz: 0`` is a rate more than 1 % off, said so."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge.session_meta import SessionMeta
from tests.conftest import gc


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Path:
    from tests.ui.review.conftest import make_session

    return make_session(tmp_path_factory.mktemp("base") / "ana", audio=True, cycles=3)


def edited(recorded: Path, dest: Path, change) -> Path:
    shutil.copytree(recorded, dest)
    m = json.loads((dest / "session.json").read_text())
    change(m)
    (dest / "session.json").write_text(json.dumps(m))
    return dest


def test_force_units_null_is_newtons(recorded, tmp_path):
    s = edited(recorded, tmp_path / "ana", lambda m: m["sensor"].update(force_units=None))
    r = gc("replay", s, "--format", "jsonl", "-o", tmp_path / "o.jsonl")
    assert r.returncode == 0 and "force units" not in r.stderr, r.stderr
    events = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text().splitlines()]
    ours = [json.loads(x) for x in gc("replay", recorded, "--format", "jsonl").stdout.splitlines()]
    assert [e.get("crest_n") for e in events if e["type"] == "cycle"] == \
           [e.get("crest_n") for e in ours if e["type"] == "cycle"] != []


def test_comments_not_objects_leave_the_good_ones(recorded, tmp_path):
    good = [{"t_s": 1.5, "text": "lighter here", "author": "kim"}, {"t_s": 2.5, "text": "better", "author": "kim"}]
    s = edited(recorded, tmp_path / "ana", lambda m: m.update(comments=[None, good[0], 1, "x", good[1]]))
    r = gc("replay", s, "-o", tmp_path / "o.jsonl")
    assert r.returncode == 0, r.stderr
    said = [ln for ln in r.stderr.splitlines() if "comment" in ln]
    assert said == [f"gradecoach: warning: {s / 'session.json'}: 3 comment(s) without a time or text; ignored"]
    r = gc("report", s, "-o", tmp_path / "r.html")
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "r.html").read_text()
    assert "lighter here" in page and "better" in page


def test_rate_measured_zero_is_said(recorded, tmp_path):
    s = edited(recorded, tmp_path / "ana", lambda m: m["streams"]["audio"].update(rate_measured_hz=0))
    r = gc("replay", s, "-o", tmp_path / "o.jsonl")
    assert r.returncode == 0, r.stderr
    assert "audio rate_measured_hz 0 is not within 1 % of the file's 16000 Hz; the nominal rate is used" in r.stderr


def test_rate_measured_null_is_not_measured(recorded, tmp_path):
    s = edited(recorded, tmp_path / "ana", lambda m: m["streams"]["audio"].update(rate_measured_hz=None))
    r = gc("replay", s, "-o", tmp_path / "o.jsonl")
    assert r.returncode == 0 and "rate_measured_hz" not in r.stderr, r.stderr


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=6),
                     lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(["t_s", "text", "a"]), c,
                                                                          max_size=3),
                     max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(comments=st.lists(_json, max_size=6), units=st.one_of(st.none(), st.sampled_from(["N", "kgf", "counts"])))
def test_any_comments_keep_exactly_the_usable_ones(comments, units):
    meta = SessionMeta.from_dict({"comments": comments, "sensor": {"force_units": units}})

    def usable(c):
        if not isinstance(c, dict) or not isinstance(c.get("text", ""), str):
            return False
        t = c.get("t_s")
        try:
            return isinstance(t, (int, float)) and not isinstance(t, bool) and math.isfinite(t)
        except OverflowError:
            return False

    assert meta.comments == [c for c in comments if usable(c)]
    assert sum("comment" in p for p in meta.problems) == (len(meta.comments) < len(comments))
    assert (meta.sensor.get("force_units") or "N") == (units or "N")
