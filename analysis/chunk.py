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
