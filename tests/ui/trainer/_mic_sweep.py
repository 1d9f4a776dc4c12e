"""A trainer recording with a stand-in microphone that draws a frame every few chunks, and the
fixture's force cut to a span."""

from __future__ import annotations

from .conftest import Feeder
from ._mic import MicSession as EveryFrameSession


def few_frames(engine, window, path, **kw):
    """A :class:`Feeder` drawing a frame after every fifth chunk (a quarter of a second of the
    force) and where it stops, not after each."""
    return Feeder(engine, window, path, frame_every=5, **kw)


def force_between(root, from_s: float, to_s: float):
    """The thrust fixture's force from ``from_s`` to ``to_s`` (its times as they are: a stand-in
    microphone hears the fixture's sound at the force's time), written in ``root``. Its path."""
    from ._mic import FIX
    lines = FIX.read_text().splitlines()
    root.mkdir(parents=True, exist_ok=True)
    path = root / "force.csv"
    path.write_text("\n".join([lines[0]] + [s for s in lines[1:] if from_s <= float(s.split(",", 1)[0]) <= to_s])
                    + "\n")
    return path


class MicSession(EveryFrameSession):
    """:class:`~._mic.MicSession` drawing fewer frames (:func:`few_frames`)."""

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self.feeder.frame_every = 5
