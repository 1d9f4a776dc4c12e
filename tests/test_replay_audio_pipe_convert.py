"""A phone's MPEG-4 recording given with --audio through a pipe is one line saying to convert it;
the ffmpeg command it gave named the pipe ('ffmpeg -i /dev/fd/63 /dev/fd/63.flac'), which cannot
work."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + bytes(300)


def test_a_phone_recording_piped_beside_the_force_names_no_pipe_to_convert():
    r = subprocess.run([sys.executable, "-m", "ui.cli", "replay", str(ROOT / "fixtures" / "thrust_pops.csv"),
                        "--audio", "/dev/stdin", "--format", "table"], input=M4A, cwd=ROOT,
                       capture_output=True, timeout=120)
    out = r.stdout.decode()
    assert r.returncode == 0 and "Traceback" not in r.stderr.decode(), r.stderr
    said = [ln.strip() for ln in out.splitlines() if "MPEG-4" in ln]
    assert said == ["warning: /dev/stdin: MPEG-4 audio is not read (WAV, FLAC, OGG, Opus, MP3 and AIFF are); "
                    "convert it to one of them first (e.g. with ffmpeg) and give that; analysed without the "
                    "audio"], out
    assert out.splitlines()[0].endswith("thrust_pops.csv: 31.3 s, 0 cycles, 6 thrusts, no audio"), out
