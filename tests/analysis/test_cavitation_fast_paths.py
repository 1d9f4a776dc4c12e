"""The pop detector's shortcuts around numpy/scipy calls give the very values of the calls they
stand for, so no pop is found, lost or timed otherwise for their sake."""

import numpy as np
import pytest
from scipy import signal

from analysis.cavitation_features import butter, sosfilt_state


@pytest.mark.parametrize("channels", [1, 2, 3])
def test_sosfilt_state_is_sosfilt_carried_over_chunks(channels):
    rng = np.random.default_rng(11)
    sos = butter(2, [100.0, 2000.0], "bandpass", fs=8000.0, output="sos")
    x = rng.standard_normal((20000, channels)) * 10 ** rng.uniform(-6, 0, channels)
    zi_ref = np.zeros((len(sos), 2, channels))
    zi = np.zeros((channels, len(sos), 2))
    i = 0
    for n in (1, 7, 8000, 3, 11989):
        want, zi_ref = signal.sosfilt(sos, x[i:i + n], axis=0, zi=zi_ref)
        keep = x[i:i + n].copy()
        got = sosfilt_state(sos, x[i:i + n], zi)
        assert np.array_equal(got, want) and got.shape == want.shape
        assert np.array_equal(x[i:i + n], keep)                    # the input is left alone
        assert np.array_equal(np.moveaxis(zi, 0, -1), zi_ref)
        i += n


def test_sosfilt_state_without_the_kernel(monkeypatch):
    import analysis.cavitation_features as cf
    monkeypatch.setattr(cf, "_sosfilt_kernel", None)
    rng = np.random.default_rng(12)
    sos = butter(2, [100.0, 2000.0], "bandpass", fs=8000.0, output="sos")
    x = rng.standard_normal((500, 2))
    zi = np.zeros((2, len(sos), 2))
    a = sosfilt_state(sos, x[:200], zi)
    b = sosfilt_state(sos, x[200:], zi)
    assert np.array_equal(np.r_[a, b], signal.sosfilt(sos, x, axis=0))
