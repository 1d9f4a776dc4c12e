"""A CSV saved as UTF-16 (Windows Notepad's "Unicode", some spreadsheets' "Unicode text") is read
as the same CSV in UTF-8. Its byte-order mark FF FE was taken for an MPEG audio frame's sync (the
file was called audio) and its NUL bytes made it "not a text CSV file"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import InputError
from firmware_bridge.replay import load_input
from firmware_bridge.session import header_text, is_audio, read_csv_stream
from ui.options import recording_kind
from tests._cli_in_process import gc_here

ROOT = Path(__file__).resolve().parents[2]
ENCODINGS = {"le": lambda text: text.encode("utf-16-le"), "be": lambda text: text.encode("utf-16-be")}
BOMS = {"le": b"\xff\xfe", "be": b"\xfe\xff"}


def _text(n: int = 3000) -> str:
    return "Time (ms);Load (kg)\r\n" + "".join(f"{i};{5 + np.sin(i / 100):.3f}\r\n".replace(".", ",")
                                               for i in range(n))


@pytest.mark.parametrize("order", ["le", "be"])
@pytest.mark.parametrize("name", ["x.csv", "x.txt", "x"])
def test_a_utf16_csv_reads_as_the_same_csv_in_utf8(tmp_path, order, name):
    text = _text()
    (tmp_path / "utf8.csv").write_text(text, encoding="utf-8", newline="")
    p = tmp_path / name
    p.write_bytes(BOMS[order] + ENCODINGS[order](text))
    want, got = load_input(tmp_path / "utf8.csv"), load_input(p)
    np.testing.assert_array_equal(got.force.t_s, want.force.t_s)
    np.testing.assert_array_equal(got.force.values, want.force.values)
    assert got.force.rate_hz == pytest.approx(1000) and got.warnings == want.warnings == []
    assert recording_kind(p) == "a recording of force (Time (ms);Load (kg))"     # (not "an audio recording")


def test_replay_of_a_utf16_csv_gives_its_events(tmp_path):
    src = (ROOT / "fixtures" / "lumbar_grade3.csv").read_text(encoding="utf-8")
    p = tmp_path / "notepad.csv"
    p.write_bytes(src.encode("utf-16"))
    args = ["--r1", "40", "--r2", "120", "--format", "jsonl"]
    got = gc_here("replay", p, *args)
    want = gc_here("replay", ROOT / "fixtures" / "lumbar_grade3.csv", *args)
    assert got.returncode == 0 and got.stderr == ""
    assert got.stdout == want.stdout and '"n_cycles": 0' not in got.stdout


def test_utf16_that_breaks_off_is_one_line_naming_its_line(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(("t_s,force_n\n" + "".join(f"{i / 100},{i}\n" for i in range(50))).encode("utf-16-le")
                  .join([b"\xff\xfe", b""]) + "0.5,7\n".encode("utf-16-le") + b"\x00\xd8" + b"\n\x00")
    with pytest.raises(InputError) as e:
        read_csv_stream(p)
    assert str(e.value) == f"{p}:53: UTF-16 text (by its first bytes) that does not decode; save it as UTF-8 text"


def test_mpeg_audio_starting_as_ff_fe_is_still_audio():
    frame = b"\xff\xfe\x90\x00" + bytes(range(200)) * 4          # an MPEG-1 layer I frame header, then data
    assert is_audio(frame)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.sampled_from(["le", "be"]), header=st.booleans(), data=st.binary(max_size=400),
       text=st.text(max_size=60))
def test_any_bytes_after_a_utf16_mark_give_rows_or_one_line(tmp_path, order, header, data, text):
    """Whatever follows the mark (text of any characters, then any bytes): rows or an
    :class:`InputError`, never a traceback, from the reader, the header and the audio checks."""
    raw = BOMS[order] + ENCODINGS[order](("t_s,force_n\n" if header else "") + text) + data
    p = tmp_path / "fuzz.csv"
    p.write_bytes(raw)
    header_text(raw.split(b"\n", 1)[0])
    is_audio(raw[:4096], p)
    try:
        d = load_input(p)
    except InputError as e:
        assert "\n" not in str(e)
    else:
        assert d.force is None or np.all(np.diff(d.force.t_s) > 0)
