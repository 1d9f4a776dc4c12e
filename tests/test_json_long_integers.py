"""An integer of more than 4300 digits in a file's JSON (session.json, events.jsonl): Python
refuses to read it (a ValueError that is not bad JSON), which ended replay, report and the
library with a traceback. Read as a float, it is a value out of range like any other."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge.json_text import loads
from tests.conftest import gc
from tests.ui.review.conftest import make_session

LONG = "1" + "0" * 5000


@given(st.integers(min_value=1, max_value=20000), st.sampled_from(["", "-"]))
@settings(max_examples=40, deadline=None)
def test_any_run_of_digits_reads_as_a_number(n, sign):
    v = loads(f'{{"x": {sign}{"9" * n}}}')["x"]
    assert isinstance(v, (int, float)) and (v < 0) == (sign == "-")
    if n <= 300:
        assert v == int(sign + "9" * n)               # (as json reads it)


def test_a_session_with_a_number_too_long_to_read_is_replayed_and_listed(tmp_path):
    folder = make_session(tmp_path / "root" / "ana", kinds=("III",), target="III")
    meta = json.loads((folder / "session.json").read_text())
    (folder / "session.json").write_text(json.dumps(meta).replace('"r1_n": 40.0', f'"r1_n": {LONG}'))
    ev = (folder / "events.jsonl").read_text().splitlines()
    ev.insert(1, f'{{"type": "comment", "t": {LONG}}}')
    (folder / "events.jsonl").write_text("\n".join(ev) + "\n")
    for args in (("replay", folder), ("report", folder, "-o", tmp_path / "r.html"),
                 ("library", "rebuild", tmp_path / "root", "--db", tmp_path / "i.sqlite")):
        r = gc(*args)
        assert "Traceback" not in r.stderr and "Exceeds the limit" not in r.stderr, (args, r.stderr)
        assert r.returncode in (0, 2), (args, r.returncode, r.stderr)
    r = gc("replay", folder)
    assert r.returncode == 0 and "r1_n" in r.stderr, r.stderr          # said, and left out
