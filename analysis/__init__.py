"""Streaming signal processing and grading for gradecoach.

Pure computation: processors are fed chunks of any size and emit events.
No I/O, no clocks, no threads, no Qt (numpy/scipy only).
"""

from analysis.chunk import Chunk
from analysis.errors import GradecoachError, InputError
from analysis.events import (
    CavitationEvent,
    CycleEvent,
    Event,
    GapEvent,
    SummaryEvent,
    ThrustEvent,
    event_from_dict,
)
from analysis.scheme import GradingScheme, ThrustScheme

__all__ = [
    "Chunk",
    "GradecoachError",
    "InputError",
    "Event",
    "CycleEvent",
    "ThrustEvent",
    "CavitationEvent",
    "GapEvent",
    "SummaryEvent",
    "event_from_dict",
    "GradingScheme",
    "ThrustScheme",
]
