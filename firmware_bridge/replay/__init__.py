"""Recorded inputs as sources: a session folder, a bare force CSV (+ optional audio), or audio alone.

``load_input`` reads and validates; ``iter_chunks`` yields :class:`analysis.Chunk` objects of
all streams interleaved in time order, which is exactly what a live source delivers, so replay
and live use go through the same processors.

Its parts: :mod:`~firmware_bridge.replay.inputs` (what is replayed, read and checked), with
:mod:`~firmware_bridge.replay.audio_timeline` (the sound placed on the force's timeline),
:mod:`~firmware_bridge.replay.stream_gaps` (what a recording's streams are missing) and
:mod:`~firmware_bridge.replay.bare_files` (a bare CSV, a pipe or a BLE capture),
:mod:`~firmware_bridge.replay.audio_file` (audio files: format, length, tears, cuts),
:mod:`~firmware_bridge.replay.dead_audio` (stretches with no usable sound),
:mod:`~firmware_bridge.replay.chunks` (the streams as chunks in time order) and
:mod:`~firmware_bridge.replay.analyze` (the processors run over a whole recording).
"""

from firmware_bridge.replay.audio_file import (OGG_EOS, OGG_PAGE_MAX, UNKNOWN_FRAMES, UNKNOWN_SIZES, audio_info,
                                               audio_problem, quiet_decoder, read_span, read_until_torn,
                                               starts_as_audio, wav_past_data)
from firmware_bridge.replay.inputs import (AUDIO_RATE_TOLERANCE, FORCE_COLUMN_UNITS, MAX_AUDIO_T0_S, TIME_COLUMNS,
                                           ReplayInput, load_input)
from firmware_bridge.replay.dead_audio import (CLIP_LEVEL, CLIPPED_SHARE, DEAD_FRAME_S, DEAD_KINDS, DEAD_MIN_S,
                                               FLOOR_FROM_S, MIN_AUDIO_S, POP_MAX_S, DeadStretches, dead_frames)
from firmware_bridge.replay.chunks import iter_chunks
from firmware_bridge.replay.analyze import analyze_input, marked_gaps, too_short

__all__ = [
    "OGG_EOS", "OGG_PAGE_MAX", "UNKNOWN_FRAMES", "UNKNOWN_SIZES", "audio_info", "audio_problem", "quiet_decoder",
    "read_span", "read_until_torn", "starts_as_audio", "wav_past_data",
    "AUDIO_RATE_TOLERANCE", "FORCE_COLUMN_UNITS", "MAX_AUDIO_T0_S", "TIME_COLUMNS", "ReplayInput", "load_input",
    "CLIP_LEVEL", "CLIPPED_SHARE", "DEAD_FRAME_S", "DEAD_KINDS", "DEAD_MIN_S", "FLOOR_FROM_S", "MIN_AUDIO_S",
    "POP_MAX_S", "DeadStretches", "dead_frames",
    "iter_chunks",
    "analyze_input", "marked_gaps", "too_short",
]
