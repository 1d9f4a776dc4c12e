"""The cavitation detector's faster helpers give the very values of the numpy/scipy calls they
stand for, so no pop is found, lost or timed otherwise for their sake."""

import numpy as np
import pytest
from scipy import signal

from analysis.cavitation_features import butter, sosfilt_rest


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sosfilt_rest_is_sosfilt(dtype):
    rng = np.random.default_rng(7)
    sos = butter(4, [2200.0, 16000.0], "bandpass", fs=48000.0, output="sos")
    for n in (1, 5, 480, 13600):
        x = (rng.standard_normal(n) * 10 ** rng.uniform(-6, 0)).astype(dtype)
        keep = x.copy()
        assert np.array_equal(sosfilt_rest(sos, x), signal.sosfilt(sos, x))
        assert np.array_equal(x, keep)                       # the input is left alone


def test_sosfilt_rest_in_place():
    rng = np.random.default_rng(8)
    sos = butter(2, [100.0, 2000.0], "bandpass", fs=8000.0, output="sos")
    x = rng.standard_normal(300)
    want = signal.sosfilt(sos, x)
    got = sosfilt_rest(sos, x, overwrite=True)
    assert got is x and np.array_equal(got, want)
    col = rng.standard_normal((200, 2))[:, 1]                # not contiguous: copied, not overwritten
    keep = col.copy()
    assert np.array_equal(sosfilt_rest(sos, col, overwrite=True), signal.sosfilt(sos, keep))
    assert np.array_equal(col, keep)
