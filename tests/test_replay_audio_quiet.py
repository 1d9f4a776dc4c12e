"""A file that is no audio, probed as audio (named .mp3, or binary under another name), gives
gradecoach's one line on stderr alone: not libmpg123's own "Giving up searching valid MPEG
header", nor libsndfile's "File does not exist" of a file that exists."""

from __future__ import annotations

import numpy as np

from tests.conftest import ROOT, gc


def _files(tmp_path):
    text = (ROOT / "fixtures" / "lumbar_grade3.csv").read_text()[:20000]
    utf16 = tmp_path / "utf16.csv"                  # a spreadsheet's "Unicode text": FF FE, then UTF-16
    utf16.write_bytes(text.encode("utf-16"))
    rand = tmp_path / "rand.mp3"
    rand.write_bytes(np.random.default_rng(0).integers(0, 256, 100_000, dtype=np.uint8).tobytes())
    return utf16, rand


def test_no_decoder_lines_on_stderr(tmp_path):
    utf16, rand = _files(tmp_path)
    r = gc("replay", utf16)                         # read as text (its last line cut off)
    assert r.returncode == 0 and r.stderr.splitlines() == [     # (2.4 s: no cycle, nothing ungraded)
        f"gradecoach: warning: {utf16}:1217: last line cut off (no line end): left out"]

    r = gc("replay", rand)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"gradecoach: error: {rand}: unreadable audio (its content is not WAV, "
                                     f"FLAC, OGG, Opus, MP3 or AIFF)"]

    r = gc("replay", ROOT / "fixtures" / "lumbar_grade3.csv", "--audio", rand, "--format", "jsonl")
    assert r.returncode == 0
    assert all(ln.startswith("gradecoach: warning: ") for ln in r.stderr.splitlines()), r.stderr
    assert f"{rand}: unreadable audio (its content is not" in r.stderr
