"""The cavitation detector's faster helpers give the very values of the numpy/scipy calls they
stand for, so no pop is found, lost or timed otherwise for their sake."""

import numpy as np
import pytest
from scipy import signal

from analysis.cavitation_features import butter
from analysis.filtering import sosfilt_rest


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


def test_gradient_is_numpys():
    from analysis.cavitation_waveform import gradient
    rng = np.random.default_rng(9)
    for n in (2, 3, 4, 57, 300):
        x = rng.standard_normal(n) * 10 ** rng.uniform(-8, 2)
        assert np.array_equal(gradient(x), np.gradient(x))


def test_peak_frequency_as_with_a_fresh_window():
    """The cached window and the slice of bins find the very bin the full spectrum does."""
    from analysis.cavitation_waveform import peak_frequency
    rng = np.random.default_rng(10)
    fs, band = 8000.0, (100.0, 2000.0)
    f = np.fft.rfftfreq(4096, 1 / fs)
    in_band = (f >= band[0] * 0.8) & (f <= band[1] * 1.2)
    for _ in range(200):
        n = int(rng.integers(8, 161))              # (the window is 20 ms at most)
        t = np.arange(n) / fs
        w = np.sin(2 * np.pi * rng.uniform(50, 3000) * t) * np.exp(-t / rng.uniform(1e-3, 5e-3)) \
            + 0.1 * rng.standard_normal(n)
        taper = np.ones(n)
        taper[n // 2:] = np.hanning(2 * (n - n // 2))[n - n // 2:]
        want = round(float(f[in_band][np.argmax(np.abs(np.fft.rfft(w * taper, 4096))[in_band])]), 1)
        assert peak_frequency(w, 0, n, fs, band) == want
    assert peak_frequency(np.ones(7), 0, 7, fs, band) is None


def test_pitch_from_the_spectrum_is_the_direct_correlation():
    """pitch reads its lags from the power spectrum: within 1e-12 of the direct correlation,
    also when the lags reach the window's half (no lag wraps round)."""
    from analysis.cavitation_voice import pitch
    rng = np.random.default_rng(11)
    for n in (256, 257, 300, 460, 600, 1000):
        t = np.arange(n)
        x = np.sin(2 * np.pi * t / rng.uniform(20, 128)) * rng.uniform(0.5, 2.0) + rng.standard_normal(n)
        lo, hi = 5 * 4, 32 * 4
        want = float((np.correlate(x, x, "full")[n - 1 + lo:n + hi] / np.dot(x, x)).max())
        assert abs(pitch(x, (5, 32), 4) - want) < 1e-12
    assert pitch(np.zeros(600), (5, 32), 4) == 0.0
    assert pitch(rng.standard_normal(255), (5, 32), 4) == 0.0       # too short for two periods


def test_sosfilt_rest_falls_back_where_the_kernel_does_not_fit():
    rng = np.random.default_rng(12)
    sos = butter(2, [100.0, 2000.0], "bandpass", fs=8000.0, output="sos")
    x2 = rng.standard_normal((100, 2))
    assert np.array_equal(sosfilt_rest(sos, x2), signal.sosfilt(sos, x2))
