"""Sources: the outside world as timestamped chunks, chosen by a spec string.

``open_source("emulator:mixed")``, ``open_source("file:session_dir")``, ``serial:PATH[@BAUD]``,
``ble:NAME_OR_ADDRESS`` — one small pull interface, one class per scheme, registered by name
(cf. pyserial's ``serial_for_url``). A source is pulled with ``read(timeout_s)`` from one thread
(the CLI loop or the GUI's acquisition worker); devices with their own threads (serial reader,
bleak's asyncio loop) hand data over through a bounded queue inside the source.

The interface and the sources that play arrays are in :mod:`~firmware_bridge.source_base`, a
played recording in :mod:`~firmware_bridge.file_source`, the count of samples lost from a
stream's times in :mod:`~firmware_bridge.lost_samples`; this module keeps the registry and
:func:`open_source`, and gives their names too.
"""

from __future__ import annotations

import os
import re
import stat
from typing import Callable

from analysis.errors import InputError
from firmware_bridge.file_source import FileSource, PlayedAudio, replay_with_sound, sound_beside
from firmware_bridge.lost_samples import (HOLE_ROUNDS, HOLE_SIDE_SAMPLES, HOLE_STEP_PERIODS, JITTER_BAND_SLACK,
                                          JITTER_STEP_PERIODS, STEP_ROUNDING_PERIODS, holes_in_times, lost_in_gap)
from firmware_bridge.source_base import ArraySource, EmulatorSource, Notice, Pacer, Source, SourceStats

__all__ = [
    "SourceStats", "Notice", "Source", "Pacer", "ArraySource", "EmulatorSource",
    "lost_in_gap", "HOLE_STEP_PERIODS", "HOLE_SIDE_SAMPLES", "HOLE_ROUNDS", "JITTER_STEP_PERIODS",
    "JITTER_BAND_SLACK", "STEP_ROUNDING_PERIODS", "holes_in_times",
    "FileSource", "PlayedAudio", "sound_beside", "replay_with_sound",
    "SOURCES", "register_source", "open_source",
]


SOURCES: dict[str, Callable[[str], Source]] = {}


def register_source(scheme: str, factory: Callable[[str], Source]) -> None:
    """``factory(rest_of_spec) -> Source``; one line per device kind."""
    SOURCES[scheme] = factory


def _emulator(rest: str) -> Source:
    from firmware_bridge.emulator import rate_error
    from firmware_bridge.scenarios import SCENARIOS

    scenario, at, rate = rest.partition("@")
    scenario = scenario or "mixed"
    if scenario not in SCENARIOS:
        raise InputError(f"emulator:{rest}: unknown scenario {scenario!r}; known: {', '.join(SCENARIOS)}")
    try:
        rate_hz = float(rate) if at else 1000.0
    except ValueError:
        raise InputError(f"emulator:{rest}: rate {rate!r} is not a number (emulator:SCENARIO@HZ)") from None
    if (why := rate_error(rate_hz, line=True)) is not None:
        raise InputError(f"emulator:{rest}: rate {why}")
    return EmulatorSource(scenario, rate_hz)


def _file(rest: str) -> Source:
    if not rest:
        raise InputError("file: give a recording, e.g. file:fixtures/demo_mixed.csv or file:sessions/anna")
    return FileSource(rest)


register_source("emulator", _emulator)
register_source("file", _file)


def open_source(spec: str) -> Source:
    """Build (not open) the source for ``spec``; unknown schemes are a one-line InputError."""
    for mod in ("firmware_bridge.serial_source", "firmware_bridge.ble"):
        try:
            __import__(mod)
        except ModuleNotFoundError as e:
            if e.name != mod:
                raise
    scheme, _, rest = spec.partition(":")
    if scheme not in SOURCES:
        # (in one order, whichever module registered its kind first)
        kinds = [k for k in ("emulator", "file", "serial", "ble") if k in SOURCES]
        kinds += [k for k in SOURCES if k not in kinds]
        hint = ""
        if "serial" in SOURCES and (spec.startswith("/dev/") or re.fullmatch(r"(?i)com\d+", spec)
                                    or (os.path.exists(spec) and stat.S_ISCHR(os.stat(spec).st_mode))):
            hint = f"; did you mean serial:{spec}?"
        elif os.path.exists(spec) and "file" in SOURCES:
            hint = f"; did you mean file:{spec}?"
        raise InputError(f"unknown device spec {spec!r}{hint or '; use ' + ', '.join(f'{k}:...' for k in kinds)}")
    return SOURCES[scheme](rest)
