"""Sound given beside the force that cannot be read at all (a FLAC whose header or every frame is
damaged) was counted as "0 pops", or as "no audio recorded": its pops are unknown, the sound could
not be read. One line names the file; the force is analysed all the same."""

from __future__ import annotations

import html
import json

import numpy as np

from tests._cli_in_process import gc_in_process
from tests._pops_audio import PEAKS_S, force_csv, pops_flac

CAL = ("--r1", 40, "--r2", 120)


def _recording(tmp_path, damage):
    csv = force_csv(tmp_path / "x.csv", 10.5)
    flac = pops_flac(tmp_path / "x.flac", [p + 0.002 for p in PEAKS_S[:2]], 10.5)
    raw = bytearray(flac.read_bytes())
    damage(raw)
    flac.write_bytes(bytes(raw))
    return csv, flac


def _frames_damaged(raw: bytearray) -> None:
    """Every byte after the metadata blocks overwritten: the header reads, no frame decodes."""
    i = 4
    while True:                                       # (each block: last-flag and type, 24-bit length)
        last, size = raw[i] & 0x80, int.from_bytes(raw[i + 1:i + 4], "big")
        i += 4 + size
        if last:
            break
    raw[i:] = np.random.default_rng(2).integers(0, 256, len(raw) - i, dtype=np.uint8).tobytes()


def _header_damaged(raw: bytearray) -> None:
    raw[18:21] = b"\0\0\0"                            # STREAMINFO's sample rate: none


def _check_replay(capsys, csv, flac):
    r = gc_in_process(capsys, "replay", csv, "--audio", flac, *CAL, "--format", "table")
    assert r.returncode == 0, r.stderr
    head = r.stdout.splitlines()[0]
    assert head.endswith("2 thrusts, pops unknown (sound unreadable)"), head
    said = [ln for ln in r.stdout.splitlines() if str(flac) in ln]
    assert len(said) == 1 and "unreadable" in said[0], r.stdout
    s = json.loads(gc_in_process(capsys, "replay", csv, "--audio", flac, *CAL, "--format", "jsonl")
                   .stdout.splitlines()[-1])
    assert s["n_thrusts"] == 2 and s["audio_unreadable"] is True and s["audio"] is False
    assert [t["pops"] for t in s["thrusts"]] == [None, None]


def test_sound_none_of_which_decodes_has_its_pops_unknown(tmp_path, capsys):
    _check_replay(capsys, *_recording(tmp_path, _frames_damaged))


def test_sound_whose_header_is_damaged_has_its_pops_unknown(tmp_path, capsys):
    _check_replay(capsys, *_recording(tmp_path, _header_damaged))


def test_the_report_says_the_sound_could_not_be_read(tmp_path, capsys):
    csv, flac = _recording(tmp_path, _frames_damaged)
    out = tmp_path / "r.html"
    r = gc_in_process(capsys, "report", csv, "--audio", flac, *CAL, "-o", out)
    assert r.returncode == 0, r.stderr
    page = html.unescape(out.read_text())
    assert "<dt>pops</dt><dd>unknown: the sound could not be read</dd>" in page, page[:3000]
