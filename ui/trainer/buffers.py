"""Locked ring buffers: the acquisition thread writes, the GUI's frame timer reads."""

from __future__ import annotations

import threading

import numpy as np

# seconds of force the trainer's plot shows (--window, and the keys that widen and narrow it)
WINDOW_RANGE_S = (4.0, 60.0)


class RingBuffer:
    """Fixed-capacity buffer of ``(t_s, value)`` samples, safe for one writer and many readers.

    ``total`` counts every sample ever written, so a reader can tell how many it has not
    seen yet. Reads return copies in time order (never the raw ring, whose seam would draw a
    line across the plot).
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = int(capacity)
        self._t = np.zeros(self.capacity, dtype=np.float64)
        self._y = np.zeros(self.capacity, dtype=np.float64)
        self._lock = threading.Lock()
        self.total = 0

    def extend(self, t_s: np.ndarray, values: np.ndarray) -> None:
        t_s = np.asarray(t_s, dtype=np.float64)
        values = np.asarray(values, dtype=np.float64)
        n = len(t_s)
        if n == 0:
            return
        skip = max(0, n - self.capacity)        # older samples would be overwritten at once
        if skip:
            t_s, values = t_s[skip:], values[skip:]
        with self._lock:
            self.total += skip
            i = self.total % self.capacity
            k = len(t_s)
            first = min(k, self.capacity - i)
            self._t[i:i + first] = t_s[:first]
            self._y[i:i + first] = values[:first]
            if k > first:
                self._t[:k - first] = t_s[first:]
                self._y[:k - first] = values[first:]
            self.total += k

    def __len__(self) -> int:
        return min(self.total, self.capacity)

    def _ordered(self) -> tuple[np.ndarray, np.ndarray]:
        n = len(self)
        if self.total <= self.capacity:
            return self._t[:n].copy(), self._y[:n].copy()
        i = self.total % self.capacity
        return (np.concatenate([self._t[i:], self._t[:i]]),
                np.concatenate([self._y[i:], self._y[:i]]))

    def since(self, t_from_s: float) -> tuple[np.ndarray, np.ndarray]:
        """Samples with ``t_s >= t_from_s``, oldest first (copies)."""
        with self._lock:
            t, y = self._ordered()
        k = int(np.searchsorted(t, t_from_s, side="left"))
        return t[k:], y[k:]

    def between(self, t0_s: float, t1_s: float) -> tuple[np.ndarray, np.ndarray]:
        t, y = self.since(t0_s)
        k = int(np.searchsorted(t, t1_s, side="right"))
        return t[:k], y[:k]

    def last(self, seconds: float) -> tuple[np.ndarray, np.ndarray]:
        """The last ``seconds`` of data, measured from the newest sample."""
        lt = self.last_t
        if lt is None:
            return np.zeros(0), np.zeros(0)
        return self.since(lt - seconds)

    @property
    def last_t(self) -> float | None:
        with self._lock:
            if self.total == 0:
                return None
            return float(self._t[(self.total - 1) % self.capacity])
