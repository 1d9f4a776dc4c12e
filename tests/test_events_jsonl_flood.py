"""A damaged events.jsonl (random bytes over it: a disk error, a copy gone wrong) is one warning
with the count of lines skipped and the first of them: it was one warning a line, 26,456 lines
for 1 MB of random bytes. Up to 3 bad lines are each named, as before. Its lines end at a line feed alone, as it is written: bytes such as
\\x0b, \\x1c or \\x85 (which Python's str.splitlines also splits at) no longer make more lines."""

from __future__ import annotations

import random

from tests.conftest import gc
from tests.ui.review.conftest import make_session


def test_a_damaged_events_file_is_one_warning(tmp_path):
    s = make_session(tmp_path / "s", cycles=3)
    ep = s / "events.jsonl"
    noise = random.Random(1).randbytes(1 << 20)
    ep.write_bytes(noise)
    r = gc("replay", s, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    n = len(noise.split(b"\n")) - sum(1 for ln in noise.split(b"\n") if not ln.decode("utf-8", "replace").strip())
    said = [ln for ln in r.stderr.splitlines() if "events.jsonl" in ln]
    assert said == [f"gradecoach: warning: {ep}: {n} unreadable event lines skipped (first: {ep}:1)"]


def test_line_ends_other_than_a_line_feed_do_not_split_a_line(tmp_path):
    s = make_session(tmp_path / "s", cycles=3)
    ep = s / "events.jsonl"
    good = ep.read_bytes()
    ep.write_bytes(good + b'{"type": "note", "text": "a\x0bb\x1cc\xc2\x85d"} \x0b x\n')
    r = gc("replay", s, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    n = good.count(b"\n") + 1
    assert [ln for ln in r.stderr.splitlines() if "events.jsonl" in ln] == \
        [f"gradecoach: warning: {ep}:{n}: unreadable event line skipped"]


def test_a_few_bad_lines_are_each_named_more_are_counted(tmp_path):
    s = make_session(tmp_path / "s", cycles=3)
    ep = s / "events.jsonl"
    good = ep.read_bytes()
    n = good.count(b"\n") + 1
    for bad, said in ((3, [f"{ep}:{n + i}: unreadable event line skipped" for i in range(3)]),
                      (4, [f"{ep}: 4 unreadable event lines skipped (first: {ep}:{n})"])):
        ep.write_bytes(good + b"x\n" * bad)
        r = gc("replay", s, "--format", "jsonl")
        assert r.returncode == 0, r.stderr
        assert [ln for ln in r.stderr.splitlines() if "events.jsonl" in ln] == [f"gradecoach: warning: {w}" for w in said]
