"""The ffmpeg command given for a phone's recording runs from where replay was run."""

import shlex
import subprocess
import sys

import pytest

# the start of an MPEG-4 audio file as a phone writes it (AAC in MP4), which libsndfile does not read
M4A_HEAD = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + bytes(200)


def _command(stderr: str) -> list[str]:
    line, = [ln for ln in stderr.splitlines() if "ffmpeg" in ln]
    return shlex.split(line.split("for example: ", 1)[1])


@pytest.mark.parametrize("folder", ["af", "rec's files/2024"])
def test_the_ffmpeg_command_names_the_file_as_typed_and_quoted_for_the_shell(tmp_path, folder):
    (tmp_path / folder).mkdir(parents=True)
    (tmp_path / folder / "phone 1.m4a").write_bytes(M4A_HEAD)
    typed = f"{folder}/phone 1.m4a"
    r = subprocess.run([sys.executable, "-m", "ui.cli", "replay", typed], capture_output=True, text=True,
                       timeout=120, cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    cmd = _command(r.stderr)
    assert cmd == ["ffmpeg", "-i", typed, f"{folder}/phone 1.flac"]
    assert (tmp_path / cmd[2]).is_file()                        # the input, from where the user is
