"""A phone's MPEG-4 recording given with --audio through a pipe is decoded and its pops tied to the
force's thrusts, as from its file. Where PyAV cannot be imported it is one line saying to convert
it: the ffmpeg command that line gave named the pipe ('ffmpeg -i /dev/fd/63 /dev/fd/63.flac'),
which cannot work, so it names none."""

from __future__ import annotations

import subprocess
import sys

from tests._phone import POPS_PER_THRUST, phone_recording
from tests.conftest import ROOT

FORCE = ROOT / "fixtures" / "thrust_pops.csv"


def piped(clip: bytes, without_pyav: bool = False) -> subprocess.CompletedProcess:
    """``replay thrust_pops.csv --audio /dev/stdin --format table`` with ``clip`` on its stdin."""
    hide = "sys.modules['av'] = None; " if without_pyav else ""      # (import av: ImportError)
    code = (f"import sys; {hide}from ui.cli import main; "
            f"sys.exit(main(['replay', {str(FORCE)!r}, '--audio', '/dev/stdin', '--format', 'table']))")
    r = subprocess.run([sys.executable, "-c", code], input=clip, cwd=ROOT, capture_output=True, timeout=120)
    return subprocess.CompletedProcess(r.args, r.returncode, r.stdout.decode(), r.stderr.decode())


def test_a_phone_recording_piped_beside_the_force_is_decoded(tmp_path):
    r = piped(phone_recording(tmp_path / "phone.m4a").read_bytes())
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].endswith("thrust_pops.csv: 31.3 s (audio 31.8 s), 0 cycles, 6 thrusts, 13 pops"), r.stdout
    rows = [ln for ln in lines if ln.strip()[:1].isdigit()]      # (a row a thrust, its pops in words last)
    said = [ln[ln.index("none)") + len("none)"):].strip() for ln in rows]
    assert [w.split(",")[0] for w in said] == [f"{n} pop{'s' if n > 1 else ''}" if n else "no pop"
                                               for n in POPS_PER_THRUST]


def test_without_pyav_a_phone_recording_piped_beside_the_force_names_no_pipe_to_convert(tmp_path):
    r = piped(phone_recording(tmp_path / "phone.m4a", seconds=2.0).read_bytes(), without_pyav=True)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    said = [ln.strip() for ln in r.stdout.splitlines() if "MPEG-4" in ln]
    assert said == ["warning: /dev/stdin: MPEG-4 audio is not read (WAV, FLAC, OGG, Opus, MP3 and AIFF are); "
                    "convert it to one of them first (e.g. with ffmpeg) and give that; analysed without the "
                    "audio"], r.stdout
    assert r.stdout.splitlines()[0].endswith("thrust_pops.csv: 31.3 s, 0 cycles, 6 thrusts, no audio"), r.stdout
