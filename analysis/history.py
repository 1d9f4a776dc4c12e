"""A bounded history of a uniformly sampled signal, addressed by global sample index."""

from __future__ import annotations

import numpy as np


class History:
    """Keeps the last ``capacity`` samples; ``get(k0, k1)`` returns samples ``k0 <= k < k1``.

    Memory is bounded: appends copy into a fixed buffer of twice the capacity and shift when
    full, so the cost per sample is O(1) amortised.
    """

    def __init__(self, capacity: int, block: int = 0) -> None:
        self.capacity = int(capacity)
        # with ``block``, what ``get`` shows ends at the last multiple of ``block`` at or after the
        # newest sample less ``capacity``: the same at every point of one block of the grid,
        # however much of it has been appended (the caller appends and reads a block at a time)
        self.block = int(block)
        self._buf = np.zeros(2 * self.capacity)
        self._n = 0           # valid samples in _buf
        self._k_end = 0       # global index one past the last sample

    def reset(self, k_start: int) -> None:
        self._n = 0
        self._k_end = k_start

    def append(self, k0: int, x: np.ndarray) -> None:
        if k0 != self._k_end:
            self.reset(k0)
        x = np.asarray(x, dtype=np.float64)
        if len(x) >= self.capacity:
            self._buf[: self.capacity] = x[-self.capacity:]
            self._n = self.capacity
        else:
            if self._n + len(x) > len(self._buf):
                keep = self.capacity - len(x)
                self._buf[:keep] = self._buf[self._n - keep: self._n]
                self._n = keep
            self._buf[self._n: self._n + len(x)] = x
            self._n += len(x)
        self._k_end = k0 + len(x)

    @property
    def k_start(self) -> int:
        start = self._k_end - min(self._n, self.capacity)
        if self.block:
            start = max(start, -(-self._k_end // self.block) * self.block - self.capacity)
        return start

    @property
    def k_end(self) -> int:
        return self._k_end

    def get(self, k0: int, k1: int) -> np.ndarray:
        """Samples ``max(k0, k_start) <= k < min(k1, k_end)``."""
        k0 = max(k0, self.k_start)
        k1 = min(k1, self._k_end)
        if k1 <= k0:
            return np.empty(0)
        off = self._n - (self._k_end - k0)
        return self._buf[off: off + (k1 - k0)]
