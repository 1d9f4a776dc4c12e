"""scipy's ``signal.sosfilt`` for the streaming processors' many short calls: the same values from
scipy's own kernel, without the argument checks and axis moves around it. On a chunk of 5 force
samples, ``signal.sosfilt`` with a state took 84 µs and its kernel 3.5 µs; live force comes in
such chunks, and the cycle detector, the IMU's filters and the pop detector's front end each
filter every one. Where the kernel is missing or does not give ``signal.sosfilt``'s values (a
private function: another scipy may move or change it), the public function is used.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

try:                                    # scipy's own kernel behind signal.sosfilt
    from scipy.signal._sosfilt import _sosfilt as _sosfilt_kernel
except ImportError:                     # (a private name: another scipy may move it)
    _sosfilt_kernel = None


def _kernel_agrees() -> bool:
    """Whether the kernel takes the arguments used here and gives ``signal.sosfilt``'s values (a
    private function: another scipy may change it without moving it); if not, it is not used."""
    try:
        sos = signal.butter(2, [0.1, 0.4], "bandpass", output="sos")
        x = np.sin(np.arange(64.0))
        y = x.copy().reshape(1, -1)
        _sosfilt_kernel(sos, y, np.zeros((1, len(sos), 2)))
        return bool(np.array_equal(y[0], signal.sosfilt(sos, x)))
    except Exception:                   # (any failure: the public function is used instead)
        return False


if _sosfilt_kernel is not None and not _kernel_agrees():
    _sosfilt_kernel = None


def sosfilt_rest(sos: np.ndarray, x: np.ndarray, overwrite: bool = False) -> np.ndarray:
    """``signal.sosfilt(sos, x)`` of a 1-D float array from rest (zero state), the same values
    (scipy's own kernel), without the checks and axis handling that are a sixth of its cost
    on the few thousand samples around a candidate. ``sos`` is float64; ``overwrite``: ``x``
    is a float64 array the caller no longer needs, filtered in place."""
    if (_sosfilt_kernel is None or np.ndim(x) != 1 or np.asarray(x).dtype.kind != "f"
            or sos.dtype != np.float64 or not (sos.flags.c_contiguous and sos.flags.writeable)):
        return signal.sosfilt(sos, x)
    y = x if overwrite and x.dtype == np.float64 and x.flags.c_contiguous else np.array(x, dtype=np.float64)
    _sosfilt_kernel(sos, y.reshape(1, -1), np.zeros((1, len(sos), 2)))
    return y


def sosfilt_state(sos: np.ndarray, x: np.ndarray, zi: np.ndarray) -> np.ndarray:
    """``signal.sosfilt(sos, x, axis=0, zi=...)`` of a float64 array ``x`` (n, ch), the same
    values (scipy's own kernel), without the checks and axis moves that were a quarter of its
    cost on a second of audio. ``zi`` is the state in the kernel's own layout, (ch, sections, 2)
    float64, carried from call to call: it is updated in place."""
    if (_sosfilt_kernel is None or x.ndim != 2 or x.dtype != np.float64 or sos.dtype != np.float64
            or not (sos.flags.c_contiguous and sos.flags.writeable)):
        y, zf = signal.sosfilt(sos, x, axis=0, zi=np.moveaxis(zi, 0, -1))
        zi[...] = np.moveaxis(zf, -1, 0)
        return y
    y = np.array(x.T, dtype=np.float64, order="C")     # (ch, n): filtered in place
    _sosfilt_kernel(sos, y, zi)
    return y.T


def sosfilt_zi(sos: np.ndarray, x: np.ndarray, zi: np.ndarray, axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """``signal.sosfilt(sos, x, axis=axis, zi=zi)``: the filtered ``x`` and the final state, in
    scipy's layout, the same values. Fast for a 1-D ``x``, or a 2-D one filtered along axis 0;
    anything else goes to ``signal.sosfilt``."""
    x = np.asarray(x)
    zi = np.asarray(zi)
    nd = x.ndim
    if (_sosfilt_kernel is None or x.dtype.kind not in "fiu" or zi.dtype.kind not in "fiu"
            or sos.dtype != np.float64 or not (sos.flags.c_contiguous and sos.flags.writeable)
            or not (nd == 1 or (nd == 2 and axis in (0, -2)))):
        return signal.sosfilt(sos, x, axis=axis, zi=zi)
    if nd == 1:
        if zi.shape != (len(sos), 2):
            return signal.sosfilt(sos, x, axis=axis, zi=zi)
        y = np.array(x, dtype=np.float64).reshape(1, -1)
        z = np.array(zi, dtype=np.float64).reshape(1, len(sos), 2)
        _sosfilt_kernel(sos, y, z)
        return y[0], z[0]
    if zi.shape != (len(sos), 2, x.shape[1]):
        return signal.sosfilt(sos, x, axis=axis, zi=zi)
    y = np.array(x.T, dtype=np.float64, order="C")               # (columns, n): filtered in place
    z = np.ascontiguousarray(zi.transpose(2, 0, 1), dtype=np.float64)
    if z is zi or np.shares_memory(z, zi):
        z = z.copy()
    _sosfilt_kernel(sos, y, z)
    return y.T, z.transpose(1, 2, 0)
