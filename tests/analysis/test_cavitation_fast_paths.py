"""The pop detector's shortcuts around numpy/scipy calls give the very values of the calls they
stand for, so no pop is found, lost or timed otherwise for their sake."""

import numpy as np
import pytest
from scipy import signal

from analysis.cavitation_features import butter
from analysis.filtering import sosfilt_state


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
    import analysis.filtering as cf
    monkeypatch.setattr(cf, "_sosfilt_kernel", None)
    rng = np.random.default_rng(12)
    sos = butter(2, [100.0, 2000.0], "bandpass", fs=8000.0, output="sos")
    x = rng.standard_normal((500, 2))
    zi = np.zeros((2, len(sos), 2))
    a = sosfilt_state(sos, x[:200], zi)
    b = sosfilt_state(sos, x[200:], zi)
    assert np.array_equal(np.r_[a, b], signal.sosfilt(sos, x, axis=0))


def test_envelope_periodicity_as_from_the_full_correlation():
    """The voicing reads its lags from np.correlate's "same" output: the very products and sums of
    the "full" one it stands for."""
    from analysis.cavitation_voice import envelope_periodicity
    rng = np.random.default_rng(13)
    lag_n = (5, 32)

    def full(rows, c, ch):                       # the function as it was, on the "full" correlation
        e = 10 ** (rows[:, 2 * ch + c] / 10) - 10 ** (rows[:, ch + c] / 10)
        a = np.sqrt(np.maximum(e, 0.0))
        lo, hi = lag_n
        if len(a) < 2 * hi + 4:
            return 0.0
        r = np.correlate(a, a, "full")[len(a) - 1:len(a) + 2 * hi + 1]
        if r[0] <= 0:
            return 0.0
        r = r / r[0]
        return float(np.minimum(r[lo:hi + 1], r[2 * lo:2 * hi + 1:2]).max())

    for n in (60, 67, 68, 120, 129, 130, 131, 195, 296, 301):
        for ch in (1, 2):
            rows = rng.normal(-50, 8, (n, 3 * ch))
            rows[:, ch:2 * ch] = rng.normal(-58, 1, (n, ch))
            for c in range(ch):
                assert envelope_periodicity(rows, c, ch, lag_n) == full(rows, c, ch)


def test_tape_rows_from_any_of_its_arrays():
    from analysis.cavitation_features import Tape
    rng = np.random.default_rng(14)
    t = Tape(2)
    parts = [rng.standard_normal((n, 2)) for n in (5, 1, 9, 4)]
    for a in parts:
        t.append(a)
    whole = np.concatenate(parts)
    t.drop_before(3)
    for k0 in range(-2, 22):
        for k1 in range(k0, 23):
            assert np.array_equal(t.get(k0, k1), whole[max(k0, 0):max(min(k1, 19), 0)])


def test_floor_rows_per_block_in_any_chunks():
    """The front end's floor, one value per block of frames, is the same however the frames come."""
    from analysis.cavitation import CavitationDetector
    from analysis.cavitation_features import FrontEnd
    rng = np.random.default_rng(15)
    s = CavitationDetector().scheme
    db = rng.normal(-60, 4, (9000, 2))
    whole = FrontEnd(48000.0, 2, s)._floor(db)
    fe = FrontEnd(48000.0, 2, s)
    i, parts = 0, []
    for n in (1, 199, 200, 7, 3000, 993, 4600):
        parts.append(fe._floor(db[i:i + n]))
        i += n
    assert np.array_equal(np.concatenate(parts), whole)


@pytest.mark.parametrize("kernel", [
    lambda sos, x, zi: None,                                      # takes the arguments, filters nothing
    lambda sos, x, zi, axis: None,                                # another signature
    lambda sos, x, zi: x.__imul__(1 + 1e-12)])                    # values a little off
def test_a_kernel_that_is_not_sosfilts_any_more_is_not_used(monkeypatch, kernel):
    """The kernel is a private scipy function: a scipy that changes it without moving it must not
    break the detector or change its pops; the public sosfilt is used instead."""
    import analysis.filtering as cf
    real = cf._sosfilt_kernel
    monkeypatch.setattr(cf, "_sosfilt_kernel", kernel)
    assert not cf._kernel_agrees()
    if real is not None:                                          # (the scipy installed: used)
        monkeypatch.setattr(cf, "_sosfilt_kernel", real)
        assert cf._kernel_agrees()
