"""What a recording's streams lack: the holes in a CSV's times and a logger's clock stepping back,
marked as gaps (none the recording marked itself), and the stream files of a finished session cut
short after the recording, against the spans its stored summary recorded."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis.resample import Resampler
from firmware_bridge.csv_rows import CLOCK_STEPPED_BACK
from firmware_bridge.replay.audio_timeline import ReplayInput
from firmware_bridge.session import SessionMeta
from firmware_bridge.session_meta import finite_number
from firmware_bridge.sources import holes_in_times, lost_in_gap

# a saved re-analysis of a session whose files were cut short keeps, in its summary, the stream
# spans the recording had (``{"force": [0.0, 11.24]}``) beside its own ``spans_s`` (the files')
RECORDED_SPANS = "recorded_spans_s"


def _last_summary(events: list) -> dict | None:
    return next((e for e in reversed(events or ()) if isinstance(e, dict) and e.get("type") == "summary"), None)


def recorded_ends(events: list, own: bool = False) -> dict[str, float]:
    """Each stream's last sample time (s) as the session's stored summary (the last ``summary``
    of its events.jsonl: ``spans_s``, or the recording's it kept, :data:`RECORDED_SPANS`)
    recorded it, by stream name; none without a summary. ``own``: the summary's own spans, those
    of the data its events were found in."""
    summary = _last_summary(events)
    spans = dict(summary.get("spans_s") or {}) if summary is not None and isinstance(summary.get("spans_s"), dict) else {}
    if not own and summary is not None and isinstance(summary.get(RECORDED_SPANS), dict):
        spans.update(summary[RECORDED_SPANS])
    return {k: float(v[1]) for k, v in spans.items()
            if isinstance(v, (list, tuple)) and len(v) == 2 and finite_number(v[1])}


def stored_of_whole(events: list) -> bool:
    """Whether the stored summary's figures are the whole recording's: not a saved re-analysis of
    files cut short (whose summary keeps the recording's spans apart, :data:`RECORDED_SPANS`)."""
    summary = _last_summary(events)
    return not (summary is not None and isinstance(summary.get(RECORDED_SPANS), dict))


def cut_short(fp: Path, file_end_s: float, recorded_end_s: float, rate_hz, skipped: int = 0) -> str | None:
    """The line that says a stream file ``fp`` of a finished session ends (its last sample at
    ``file_end_s``) before the end its stored summary recorded (``recorded_end_s``): cut short
    after the recording (a copy broken off, a disk error) at a line end, which leaves no torn
    line to tell of it; None when it ends there. More than half a sample interval short (at
    ``rate_hz``; the ``skipped`` bad rows of its end, left out, allowed for) is short."""
    period = 1.0 / rate_hz if finite_number(rate_hz) and rate_hz > 0 else 0.0
    if not recorded_end_s - file_end_s > max((skipped + 0.5) * period, 1e-5):
        return None
    return (f"{fp}: ends at {seconds_text(file_end_s)} s while the session recorded {seconds_text(recorded_end_s)} s "
            f"(its stored summary): the file was cut short after the recording (a copy, a disk error?)")


def seconds_text(t: float) -> str:
    """A time as the session's files write it (to the µs), without trailing zeros: 6.735, 11.24."""
    return f"{t:.6f}".rstrip("0").rstrip(".") if abs(t) < 1e15 else f"{t:g}"    # (1e+308, not its 309 digits)


@dataclass(frozen=True)
class CutStream:
    """A stream file of a finished session that ends before the recording did (cut short after
    it, at a line end): its file's name as session.json gives it, where the file ends and where
    the recording ended, and replay's line saying so."""

    name: str           # "force" | "imu"
    file: str           # "force.csv"
    end_s: float        # its last sample in the file
    recorded_s: float   # the last the recording had, as its stored summary recorded it
    line: str           # replay's warning (cut_short)
    rate_hz: float = 0.0
    skipped: int = 0    # the bad rows of its end, left out


def streams_cut_short(folder: Path, meta: SessionMeta, events: list, streams: dict) -> list[CutStream]:
    """Each stream read of a finished session folder (``streams``: name to :class:`StreamData`
    or None) that ends before its stored summary recorded, with its line (:func:`cut_short`):
    what the file holds is what is read (replay analyses it, and counts fewer cycles than the
    summary)."""
    ends = recorded_ends(events)
    out = []
    for name, d in streams.items():
        if d is None or not len(d.t_s) or name not in ends:
            continue
        entry = meta.streams.get(name) or {}
        file = entry.get("file") or f"{name}.csv"
        rate, end = entry.get("rate_hz") or d.rate_hz, float(d.t_s[-1])
        line = cut_short(folder / file, end, ends[name], rate, d.skipped_rows)
        if line is not None:
            out.append(CutStream(name, file, end, ends[name], line, rate, d.skipped_rows))
    return out


def _mark_clock_steps(inp: ReplayInput, p: Path, known: list[tuple[float, float]] = ()) -> None:
    """Mark where a logger's clock stepped back and went on from there, in the force's CSV or the
    IMU's (a bare one's, or a session folder's force.csv and imu.csv;
    :func:`~firmware_bridge.csv_rows.clock_steps`: the rows whose times went back skipped,
    the kept times run on as if nothing were missing) as a gap of that stream between the samples
    either side, with its reason, and say it in one line with its file and line, the rows it
    skipped there among it (not again as bad rows): the analysis restarts there (replay registers
    it), so no cycle joins two moments of the recording. None the recording marked already
    (``known``: (start, end) spans of its stored gaps; its own line said it)."""
    from firmware_bridge.session import same_hole

    for stream, sd in (("force", inp.force), ("imu", inp.imu)):
        if sd is None or not sd.clock_steps:
            continue
        t = sd.t_s
        for (i, line, back_s, t_back, t_before), (rows, last) in zip(sd.clock_steps, sd.step_rows):
            if any(same_hole((float(t[i - 1]), float(t[i])), m) for m in known):
                continue
            inp.gaps.append({"t_start": float(t[i - 1]), "t_end": float(t[i]), "reason": CLOCK_STEPPED_BACK,
                             "stream": stream})
            which = f"lines {line}–{last}" if last != line else f"line {line}"
            inp.warnings.append(f"{sd.path or p}:{line}: the logger's clock stepped back {back_s:.3g} s ({t_back:g} "
                                f"after {t_before:g}): {rows} row{'s' if rows != 1 else ''} ({which}) repeat"
                                f"{'s' if rows == 1 else ''} times already had and {'are' if rows != 1 else 'is'} "
                                f"skipped; the rows after them, from {t[i]:.3f} s on, are a new run, not joined to "
                                f"those before")
    inp.gaps.sort(key=lambda g: g["t_start"])


# a hole longer than this the analysis finds itself (a "dropout"), in each stream, and grades the
# data either side of it apart: the pause its resampler takes for missing data
DROPOUT_S = inspect.signature(Resampler).parameters["max_gap_s"].default


def _mark_holes(inp: ReplayInput, p: Path, known: list[tuple[float, float]] = ()) -> None:
    """Mark the holes in a CSV's times (:func:`~firmware_bridge.lost_samples.holes_in_times`: a bare
    one's, or a session folder's force.csv, else imu.csv) as a BLE capture marks its own (``gaps``,
    by the samples either side of each), so that replay, ``screenshot --replay`` and a played file
    count the samples lost in them alike, and say how many in one warning naming ``p``. Only holes
    up to :data:`DROPOUT_S` long (the analysis bridges those as if no sample were missing; a longer
    one it finds itself, as a dropout), none where bad rows were skipped (said as such), and none
    the recording marked already (``known``: (start, end) spans of its stored gaps)."""
    from firmware_bridge.recorder import GAP_REASONS
    from firmware_bridge.session import same_hole

    sd = inp.force if inp.force is not None else inp.imu
    t, rate = sd.t_s, sd.rate_hz
    k = holes_in_times(t, rate)
    k = k[(t[k] - t[k - 1] <= DROPOUT_S) & ~np.isin(k, sd.after_skipped)]     # (skipped rows are said so)
    k = np.array([i for i in k if not any(same_hole((float(t[i - 1]), float(t[i])), m) for m in known)],
                 dtype=np.int64)
    if not len(k):
        return
    # (less the rows skipped in a hole: said as bad rows, not counted twice)
    skipped_at = getattr(sd, "skipped_at", None)
    lost = sum(lost_in_gap(t, float(t[i]), rate)[1]
               - (int(np.count_nonzero(skipped_at == i)) if skipped_at is not None else 0) for i in k)
    inp.gaps.extend({"t_start": float(t[i - 1]), "t_end": float(t[i]), "reason": GAP_REASONS["gap"]} for i in k)
    inp.warnings.append(f"{p}: {lost} sample{'s' if lost != 1 else ''} lost in {len(k)} "
                        f"gap{'s' if len(k) != 1 else ''} (its times skip them, at {rate:.4g} samples a second; "
                        f"the first at {t[k[0] - 1]:.2f} s)")


def _stored_gaps(meta: SessionMeta, events: list) -> list[tuple[float, float]]:
    """The (start, end) spans of the gaps a recording marked: session.json's ``gaps`` and the
    ``gap`` events of its stored analysis (events.jsonl)."""
    spans = [(g["t_start"], g["t_end"]) for g in meta.gaps]
    spans += [(e["t_start"], e["t_end"]) for e in events if e.get("type") == "gap"
              and finite_number(e.get("t_start")) and finite_number(e.get("t_end"))]
    return [(float(a), float(b)) for a, b in spans]
