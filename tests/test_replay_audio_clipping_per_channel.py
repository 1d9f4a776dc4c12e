"""A channel held at one level is not clipping the others: a stereo file whose first channel sat
at a constant 0.5 beside a microphone's quiet sound with five pops said "clipping (50 % of the
sound at its ceiling)", and every thrust's pops would have been unknown, not none. Nor is a loud
low tone's rounded top, held for three 16-bit samples: a clean 50 Hz hum at 0.3 of full scale
said "clipping (0.31 %)". The clipping of one channel of two is still said."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from tests.analysis._pop_sounds import sharp_pops
from tests.conftest import gc

SR = 48000


def _pops() -> np.ndarray:
    """3.5 s of room noise with five pops 0.5 s apart from 0.5 s."""
    return sharp_pops()[0]


def _replay(tmp_path, x):
    wav = tmp_path / "two.wav"
    sf.write(str(wav), x, SR, subtype="PCM_16")
    r = gc("replay", wav)
    assert r.returncode == 0, r.stderr
    return r


def test_a_constant_channel_beside_the_microphone_is_not_clipping(tmp_path):
    x = _pops()
    r = _replay(tmp_path, np.stack([np.full_like(x, 0.5), x], axis=1))
    assert "clipping" not in r.stderr + r.stdout
    assert r.stdout.count('"type": "cavitation"') == 5


def test_a_loud_clean_hum_is_not_clipping(tmp_path):
    x = _pops()
    hum = 0.3 * np.sin(2 * np.pi * 50 * np.arange(len(x)) / SR)
    r = _replay(tmp_path, np.stack([hum, x], axis=1))
    assert "clipping" not in r.stderr + r.stdout
    assert r.stdout.count('"type": "cavitation"') == 5
    # the same hum driven past full scale is clipping
    r = _replay(tmp_path, np.stack([np.clip(5 * hum, -1, 1), x], axis=1))
    assert "clipping (" in r.stderr, r.stderr


def test_one_channel_of_two_clipped_is_still_said(tmp_path):
    x = _pops()
    loud = np.clip(8.0 * np.sin(2 * np.pi * 150 * np.arange(len(x)) / SR) * (np.arange(len(x)) < SR // 2), -1, 1)
    r = _replay(tmp_path, np.stack([x, loud + x], axis=1))
    assert "clipping (" in r.stderr and "% of the sound at its ceiling" in r.stderr, r.stderr
