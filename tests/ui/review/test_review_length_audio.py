"""The review's details give a session's length as the report does: the force's, with the
sound's beside it where the sound runs longer ("16.4 s (audio 16.9 s)"); they gave the sound's
alone ("16.9 s"), which the report gives as the audio's."""

from __future__ import annotations

import re

import numpy as np
import soundfile as sf

from ui.cli import main
from ui.review.data import describe_session, open_review

from .conftest import make_session


def test_the_details_length_is_the_reports(tmp_path):
    folder = make_session(tmp_path / "s", kinds=("V",), target="V", audio=True, events=False)
    wav = folder / "audio.wav"
    x, sr = sf.read(str(wav), dtype="float32")
    sf.write(str(wav), np.concatenate([x, np.zeros(sr // 2, dtype=np.float32)]), sr, subtype="PCM_16")  # 0.5 s on
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    said = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", out.read_text(encoding="utf-8")))["duration"]
    assert re.fullmatch(r"\d+\.\d s \(audio \d+\.\d s\)", said), said
    assert dict(describe_session(open_review(folder, movement=False)))["length"] == said
