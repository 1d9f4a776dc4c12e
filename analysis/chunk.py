"""The unit of data that flows from sources to processors."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Chunk:
    """A run of timestamped samples from one stream.

    Parameters
    ----------
    t_s : ndarray, shape (n,)
        Sample times in seconds on the recording's timeline (float64).
    values : ndarray, shape (n,) or (n, k)
        Samples; force in N is 1-D, IMU is (n, 6) (ax, ay, az in m/s², gx, gy, gz in rad/s),
        audio is (n,) or (n, channels) float32 in [-1, 1].
    seq0 : int
        Device sequence number of the first sample (-1 when the source has none), so a test
        can check that no sample was lost: consecutive chunks have ``seq0`` advancing by ``n``.
    stream : str
        ``"force"``, ``"imu"`` or ``"audio"``.
    rate_hz : float
        Nominal sample rate (0 when unknown/irregular).
    """

    t_s: np.ndarray
    values: np.ndarray
    seq0: int = -1
    stream: str = "force"
    rate_hz: float = 0.0
    meta: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if len(self.t_s) != len(self.values):
            raise ValueError(f"chunk has {len(self.t_s)} times but {len(self.values)} values")

    def __len__(self) -> int:
        return len(self.t_s)

    def split(self, sizes: list[int]) -> list["Chunk"]:
        """Cut the chunk into consecutive pieces of the given sizes (tests and replay)."""
        out, i = [], 0
        for n in sizes:
            out.append(Chunk(self.t_s[i:i + n], self.values[i:i + n],
                             self.seq0 + i if self.seq0 >= 0 else -1, self.stream, self.rate_hz))
            i += n
        return out


def joined_chunks(parts: list[Chunk]) -> Chunk:
    """Consecutive chunks of one stream as one (the first's ``seq0``, the last's rate)."""
    if len(parts) == 1:
        return parts[0]
    return Chunk(np.concatenate([p.t_s for p in parts]), np.concatenate([p.values for p in parts]),
                 parts[0].seq0, parts[0].stream, parts[-1].rate_hz)


# ``Chunk.meta`` key: the chunk is silence standing in for samples lost on the way (a
# microphone's dropped blocks, its input overflows), placed where they were so later samples keep
# their time; no pop could be heard in it
LOST = "lost"


def lost_span(c: Chunk) -> tuple[float, float] | None:
    """The time ``c`` covers (s, its first sample to the end of its last) when it is silence
    standing in for lost samples (:data:`LOST`), else None."""
    if not len(c) or not c.meta.get(LOST):
        return None
    return float(c.t_s[0]), float(c.t_s[-1]) + (1.0 / c.rate_hz if c.rate_hz else 0.0)


def add_span(spans: list, a: float, b: float, join_s: float = 1e-6) -> None:
    """Append the span ``(a, b)`` (s) to ``spans``, or stretch the last one when it begins
    within ``join_s`` of that one's end (a long loss handed out in pieces is one span)."""
    if spans and spans[-1][0] <= a <= spans[-1][1] + join_s:
        spans[-1] = (spans[-1][0], max(spans[-1][1], b))
    else:
        spans.append((a, b))
