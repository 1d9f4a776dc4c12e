"""The sound of fixtures/thrust_pops as a microphone turned up too far gives it: resampled to
48 kHz, multiplied, clipped at full scale and (for an export normalised afterwards) scaled."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

from tests.conftest import ROOT


def loud_sound(gain: float, scale: float = 1.0) -> tuple[np.ndarray, int]:
    """(samples, 48000): thrust_pops.flac at 48 kHz times ``gain``, clipped to ±1, times ``scale``."""
    x, sr = sf.read(str(ROOT / "fixtures" / "thrust_pops.flac"))
    return np.clip(resample_poly(x, 3, 1) * gain, -1, 1) * scale, 3 * sr


def loud_copies(folder: Path, made: dict[str, tuple[float, float]]) -> dict[str, Path]:
    """``{name: (gain, scale)}`` written as 16-bit WAVs ``folder/name.wav``; their paths by name."""
    out = {}
    for name, (gain, scale) in made.items():
        y, rate = loud_sound(gain, scale)
        out[name] = folder / f"{name}.wav"
        sf.write(str(out[name]), y, rate, subtype="PCM_16")
    return out
