"""The streaming processors' short-call sosfilt gives scipy's values to the bit, state carried
over any chunking, so no cycle, thrust or pop moves for its sake."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import signal

import analysis.filtering as flt
from analysis.filtering import sosfilt_zi

SOS = signal.butter(4, [1.0, 20.0], "bandpass", fs=500.0, output="sos")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 300), min_size=1, max_size=10), st.integers(1, 3), st.booleans(),
       st.sampled_from(["float64", "float32", "int16"]))
def test_carried_over_chunks_it_is_sosfilt(sizes, cols, one_d, dtype):
    n = sum(sizes)
    assume(n > 0)                       # (scipy's own sosfilt refuses a whole of no samples)
    rng = np.random.default_rng(n)
    x = (rng.standard_normal((n,) if one_d else (n, cols)) * 1000).astype(dtype)
    axis = -1 if one_d else 0
    zi0 = signal.sosfilt_zi(SOS) if one_d else np.repeat(signal.sosfilt_zi(SOS)[..., None], cols, -1)
    zi0 = zi0 * x[0]
    want, zw = signal.sosfilt(SOS, x, axis=axis, zi=zi0)
    z, got, i = zi0.copy(), [], 0
    for k in sizes:
        y, z = sosfilt_zi(SOS, x[i:i + k], z, axis=axis)
        assert y.dtype == want.dtype and y.shape == x[i:i + k].shape
        got.append(y)
        i += k
    assert np.array_equal(np.concatenate(got, axis=0), want)
    assert np.array_equal(z, zw)


def test_the_state_given_is_left_alone():
    zi = signal.sosfilt_zi(SOS) * 3.0
    keep = zi.copy()
    sosfilt_zi(SOS, np.ones(10), zi)
    assert np.array_equal(zi, keep)


@pytest.mark.parametrize("kernel", [None, "real"])
def test_without_the_kernel_or_with_other_shapes_it_is_still_sosfilt(monkeypatch, kernel):
    if kernel is None:
        monkeypatch.setattr(flt, "_sosfilt_kernel", None)
    x = np.random.default_rng(3).standard_normal((50, 2, 3))        # 3-D: scipy's own path
    zi = np.zeros((len(SOS), 2, 2, 3))
    a = sosfilt_zi(SOS, x, zi, axis=0)
    b = signal.sosfilt(SOS, x, axis=0, zi=zi)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    y = np.random.default_rng(4).standard_normal(40)
    a = sosfilt_zi(SOS, y, signal.sosfilt_zi(SOS))
    b = signal.sosfilt(SOS, y, zi=signal.sosfilt_zi(SOS))
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
