"""A source's pacer that keeps real time until the test has seen what it waits for, then plays
faster: the part of a session that is about timing stays real, the rest takes less time."""

from __future__ import annotations

from firmware_bridge.sources import Pacer


class FasterWhenTold(Pacer):
    """Real time until :meth:`faster`, then ``speed`` times as fast on from the data time reached
    (the start and speed read at once: the source's thread paces by them meanwhile)."""

    def start(self, t0_data: float) -> None:
        super().start(t0_data)
        self._from = (self._t0_wall, self._t0_data, self.speed)

    def faster(self, speed: float) -> None:
        self._from = (self.clock(), self.now_data(), speed)

    def due(self, t_data: float) -> float:
        wall, data, speed = self._from
        return wall + (t_data - data) / speed - self.clock()

    def now_data(self) -> float:
        wall, data, speed = self._from
        return data + (self.clock() - wall) * speed
