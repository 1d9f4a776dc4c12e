"""A number in session.json too big for a float (an integer of 400 digits), or beyond numpy's
integers (2**64), is a value that is not usable: replay, report, the review and the library
name it and go on without it, as they do any other unusable value, with no traceback; and such a
number reads as 1e+308 in a message, not as its 309 digits."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge.audio import audio_loss_note
from firmware_bridge.session_meta import SessionMeta, finite_float, value_text
from firmware_bridge.session_scheme import stored_min_amplitude, stored_pop_window
from tests.conftest import gc

HUGE = "1" + "0" * 400                  # no float holds it
I64 = str(2 ** 64)                     # a float holds it; numpy's integers do not


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Path:
    """A session folder with audio and every number these tests spoil."""
    from tests.ui.review.conftest import make_session

    s = make_session(tmp_path_factory.mktemp("base") / "ana", audio=True, cycles=3)
    m = json.loads((s / "session.json").read_text())
    m["streams"]["audio"].update(t0_s=0.0, rate_measured_hz=16000.0, lost_s=0.5, dropped_blocks=1)
    m["gaps"] = [{"t_start": 5.0, "t_end": 5.5, "reason": "disconnected"}]
    m["extra"].update(min_amplitude_n=2.0, pop_window_ms=150.0)
    (s / "session.json").write_text(json.dumps(m))
    return s


def spoiled(recorded: Path, dest: Path, path: tuple, literal: str) -> Path:
    """A copy of ``recorded`` at ``dest`` whose session.json has ``literal`` (JSON text) at ``path``."""
    shutil.copytree(recorded, dest)
    m = json.loads((dest / "session.json").read_text())
    d = m
    for k in path[:-1]:
        d = d[k]
    d[path[-1]] = "@@N@@"
    (dest / "session.json").write_text(json.dumps(m).replace('"@@N@@"', literal))
    return dest


CASES = [
    (("streams", "audio", "rate_hz"), I64, "audio rate_hz 1.84467e+19"),
    (("streams", "audio", "rate_hz"), HUGE, "audio rate_hz 1e+400 is not usable"),
    (("streams", "audio", "t0_s"), HUGE, "audio t0_s 1e+400 is not usable"),
    (("streams", "audio", "rate_measured_hz"), HUGE, "audio rate_measured_hz 1e+400 is not usable"),
    (("streams", "audio", "lost_s"), HUGE, "audio lost while recording"),
    (("extra", "min_amplitude_n"), HUGE, "min_amplitude_n 1e+400 is not a positive force"),
    (("extra", "min_amplitude_n"), "1e308", "min_amplitude_n 1e+308 is not a positive force"),
    (("extra", "pop_window_ms"), HUGE, "pop_window_ms 1e+400 is not a time"),
    (("gaps", 0, "t_start"), I64, None),
    (("gaps", 0, "t_end"), I64, None),
    (("r1_n",), HUGE, "r1_n 1e+400 is not usable; ignored"),
]


@pytest.mark.parametrize("path, literal, said", CASES, ids=[".".join(map(str, c[0])) + "=" + c[1][:6] for c in CASES])
def test_a_huge_number_is_named_and_the_session_replayed(recorded, tmp_path, path, literal, said):
    s = spoiled(recorded, tmp_path / "ana", path, literal)
    r = gc("replay", s, "--format", "jsonl", "-o", tmp_path / "o.jsonl")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "RuntimeWarning" not in r.stderr
    assert any(json.loads(x)["type"] == "cycle" for x in (tmp_path / "o.jsonl").read_text().splitlines())
    if said is not None:
        assert said in r.stderr, r.stderr
    assert "0" * 30 not in r.stderr, r.stderr          # no number's hundreds of digits


@pytest.mark.parametrize("path", [("gaps", 0, "t_start"), ("streams", "audio", "rate_hz")])
def test_report_of_a_session_with_a_huge_number(recorded, tmp_path, path):
    s = spoiled(recorded, tmp_path / "ana", path, I64)
    r = gc("report", s, "-o", tmp_path / "r.html")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert (tmp_path / "r.html").stat().st_size > 0


def test_one_such_session_is_left_out_of_nothing_in_a_class(recorded, tmp_path):
    """The class's library and report: the session with a huge number is read (its number
    ignored), the other too."""
    spoiled(recorded, tmp_path / "cls" / "ana", ("streams", "audio", "t0_s"), HUGE)
    spoiled(recorded, tmp_path / "cls" / "ben", ("gaps", 0, "t_start"), I64)
    r = gc("library", "rebuild", tmp_path / "cls", "--db", tmp_path / "l.sqlite")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    r = gc("library", "list", tmp_path / "cls", "--db", tmp_path / "l.sqlite")
    assert r.returncode == 0 and r.stdout.count("2025-03-01") == 2, r.stdout + r.stderr
    r = gc("report", "--class", tmp_path / "cls", "-o", tmp_path / "c.html")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr


def test_review_opens_a_session_with_a_huge_gap_time(recorded, tmp_path):
    from ui.review.data import open_review

    rs = open_review(spoiled(recorded, tmp_path / "ana", ("gaps", 0, "t_end"), I64))
    assert len(rs.events) > 0


@pytest.mark.parametrize("literal, said", [("1e308", "schema_version 1e+308 is newer"),
                                           (HUGE, "schema_version 1e+400 is not a version number")])
def test_a_huge_schema_version_is_one_short_line(recorded, tmp_path, literal, said):
    s = spoiled(recorded, tmp_path / "ana", ("schema_version",), literal)
    r = gc("replay", s)
    assert r.returncode == 2 and said in r.stderr and len(r.stderr) < 200, r.stderr


_numbers = st.one_of(st.integers(), st.sampled_from([2 ** 64, -2 ** 64, 2 ** 63, 10 ** 308, 10 ** 309]), st.integers(min_value=10 ** 300, max_value=10 ** 1000).map(lambda n: n * 7),
                     st.integers(min_value=10 ** 300, max_value=10 ** 1000).map(lambda n: -n),
                     st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(), st.text(max_size=5))


@settings(max_examples=300, deadline=None)
@given(v=_numbers)
def test_any_json_number_is_a_finite_float_or_none_and_a_short_text(v):
    f = finite_float(v)
    assert f is None or (isinstance(f, float) and math.isfinite(f))
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        try:
            usable = math.isfinite(float(v))
        except OverflowError:
            usable = False
        assert (f is not None) == usable
    assert len(value_text(v)) <= 45


_json = st.recursive(st.none() | st.booleans() | _numbers,
                     lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=3),
                     max_leaves=6)


@settings(max_examples=300, deadline=None)
@given(audio=st.dictionaries(st.sampled_from(["lost_s", "dropped_blocks", "overflows", "t0_s", "rate_hz"]), _numbers,
                             max_size=5),
       extra=st.dictionaries(st.sampled_from(["min_amplitude_n", "pop_window_ms"]), _json, max_size=2),
       gaps=_json, r1=_numbers, comments=_json)
def test_session_json_numbers_never_raise(audio, extra, gaps, r1, comments):
    """session.json's decoders take any number (or other value) as usable or not, with words
    of at most a line, and raise nothing."""
    from ui.review.trace import describe_gaps

    meta = SessionMeta.from_dict({"r1_n": r1, "r2_n": 120.0, "gaps": gaps, "comments": comments,
                                  "streams": {"audio": audio}, "extra": extra})
    note = audio_loss_note(audio)
    assert note is None or len(note) < 400
    for got, words in (stored_min_amplitude(meta), stored_pop_window(meta)):
        assert got is None or (math.isfinite(got) and got > 0)
        assert words is None or len(words) < 300
    describe_gaps([], meta.gaps)
    assert all(len(p) < 300 for p in meta.problems)
