"""An audio file with a header and no sample (a header-only OGG, a 44-byte WAV) is said to hold
no samples; "an empty file" is kept for one of 0 bytes."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from tests.conftest import gc


@pytest.mark.parametrize("name, fmt", [("h.ogg", "OGG"), ("h.wav", "WAV")])
def test_a_header_only_audio_file_holds_no_samples(tmp_path, name, fmt):
    f = tmp_path / name
    sf.write(str(f), np.zeros(0, np.float32), 48000, format=fmt)
    assert f.stat().st_size > 0
    r = gc("replay", f)
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip() == f"gradecoach: error: {f}: audio file is empty but for its header: it holds " \
                               f"no samples", r.stderr
