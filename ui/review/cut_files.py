"""A finished session's stream files (force, IMU) cut short after the recording: which are, the
session details' rows of them, and what the review says of an event or a stretch of the plots a
file no longer holds. Reads nothing: what was read on opening. No Qt."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from firmware_bridge.replay.inputs import (RECORDED_SPANS, CutStream, cut_short, recorded_ends, seconds_text,
                                           streams_cut_short)

if TYPE_CHECKING:
    from ui.review.data import ReviewSession


CUT_SHORT = "cut short"     # the details' row of a finished session whose stream file was cut short after
FIGURES = "figures"         # ... and the row after it: whose figures the details and the event list give




# (the saved summary of a re-analysis of such a session: RECORDED_SPANS, the stream spans the
# recording had, beside its own ``spans_s``, those of what the files hold)


def _recorded_spans(events: list) -> dict:
    """The stream spans the recording had, as the last summary of ``events`` keeps them: those a
    saved re-analysis of a file cut short kept (:data:`RECORDED_SPANS`) over its own."""
    s = next((e for e in reversed(events or ()) if isinstance(e, dict) and e.get("type") == "summary"), None)
    if s is None:
        return {}
    spans = dict(s["spans_s"]) if isinstance(s.get("spans_s"), dict) else {}
    if isinstance(s.get(RECORDED_SPANS), dict):
        spans.update(s[RECORDED_SPANS])
    return spans


def cut_streams(rs: ReviewSession) -> list[CutStream]:
    """The stream files (force, IMU) of a finished recording that end before its stored summary
    recorded (:func:`firmware_bridge.replay.stream_gaps.cut_short`); none for a recording not said
    finished or whose files end where it recorded them. Reads nothing: what was read on opening."""
    if not rs.meta.complete:
        return []
    return streams_cut_short(rs.path, rs.meta, rs.inp.events, {"force": rs.inp.force, "imu": rs.inp.imu})


def describe_cut_short(rs: ReviewSession) -> list[tuple[str, str]]:
    """The session details' rows of a finished recording whose force.csv or imu.csv ends before
    its stored summary recorded (:func:`cut_streams`: cut short after the recording, at a line
    end: a copy broken off, a disk error), each file's end against the recording's as replay's
    warning gives them, and whose figures are shown: ``[("cut short", "force.csv ends at 6.73 s
    of 11.24 s"), ("figures", "the whole recording's, as stored")]``, or, where the events shown
    were analysed from what the file holds (a re-analysis, saved or not, another calibration),
    "of what the file holds". None at all for a recording not said finished (said otherwise) or
    whose files end where it recorded them. Reads nothing: what was read on opening."""
    cuts = cut_streams(rs)
    if not cuts:
        return []
    shown = recorded_ends(rs.events, own=True)       # (the spans of the summary of the events shown)
    whole = any(c.name in shown and cut_short(Path(c.file), c.end_s, shown[c.name], c.rate_hz, c.skipped) is not None
                for c in cuts)
    n = len(cuts)
    return [(CUT_SHORT, "; ".join(f"{c.file} ends at {seconds_text(c.end_s)} s of {seconds_text(c.recorded_s)} s"
                                  for c in cuts)),
            (FIGURES, "the whole recording's, as stored" if whole
             else f"of what the file{'' if n == 1 else 's'} hold{'s' if n == 1 else ''}")]


def _event_stream(e: dict) -> str | None:
    """The stream an event was found in: a cycle's the force, an IMU's cycle or thrust the IMU's."""
    kind = e.get("type")
    if kind == "cycle" or (kind == "thrust" and e.get("source") != "imu"):
        return "force"
    if kind == "imu_cycle" or kind == "thrust":
        return "imu"
    return None                                     # (a pop: the sound's, which is not cut short here)


def not_in_file(cuts: list[CutStream], e: dict, t_s: float) -> CutStream | None:
    """Of the stream files cut short (``cuts``, :func:`cut_streams`), the one that no longer
    holds the event ``e`` at ``t_s`` (a stored cycle recorded after where the file now ends), or
    None."""
    stream = _event_stream(e)
    return next((c for c in cuts if c.name == stream and t_s > c.end_s), None)


def not_in_file_words(c: CutStream, kind: str, t_s: float) -> str:
    """What the review says on selecting a ``kind`` ("cycle") at ``t_s`` that the file ``c`` no
    longer holds: "cycle at 7.62 s: force.csv no longer holds it (the file ends at 6.73 s of the
    11.24 s recorded); its figures are the stored summary's"."""
    return (f"{kind} at {t_s:.2f} s: {c.file} no longer holds it (the file ends at {seconds_text(c.end_s)} s of the "
            f"{seconds_text(c.recorded_s)} s recorded); its figures are the stored summary's")


def not_in_file_row(c: CutStream) -> tuple[str, str]:
    """The details' row of such an event: ``("in force.csv", "no longer: it ends at 6.73 s;
    figures as stored")``."""
    return f"in {c.file}", f"no longer: it ends at {seconds_text(c.end_s)} s; figures as stored"


def not_in_file_tip(c: CutStream, kind: str) -> str:
    """The event list's tooltip of such an event: "not in force.csv any more: it ends at 6.73 s
    (cut short); this cycle is the stored summary's"."""
    return (f"not in {c.file} any more: it ends at {seconds_text(c.end_s)} s (cut short); "
            f"this {kind} is the stored summary's")


def cut_stretch_words(c: CutStream) -> str:
    """The tooltip of the stretch of the plots the file ``c`` no longer holds."""
    return (f"{seconds_text(c.end_s)}–{seconds_text(c.recorded_s)} s: recorded, but {c.file} no longer holds it (the file "
            f"was cut short after the recording: a copy, a disk error?)")
