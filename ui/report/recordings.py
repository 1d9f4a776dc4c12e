"""The recordings a report is of: each read as a :class:`ReportItem` (:func:`load_item`: its stored
events, or a fresh analysis where a flag changes them), its trainee spelt one way across the
report's sessions (:func:`spell_trainees`), a class's recordings in their order
(:func:`class_order`), a bare CSV's sound beside it that is not analysed (:func:`unasked_sound`),
and the gaps and dates of each as the page and the CSVs give them."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.scheme import GradingScheme
from firmware_bridge.replay import ReplayInput, analyze_input, load_input
from ui.library import name_key, session_stats, session_target, spellings, time_key, use_stored_events
from ui.library.names import tidy_name
from ui.library.stats import dates_shown, full_date
from ui.review.data import pop_window_s, stored_events
from ui.review.trace import ForceScale, force_scale, gap_spans


@dataclass
class ReportItem:
    """One recording in a report."""

    name: str
    inp: ReplayInput
    events: list
    source: str
    comments: list = field(default_factory=list)
    target: str | None = None
    stats: dict = field(default_factory=dict)
    label: str = ""                   # shown name; render_html tells recordings of one name apart
    scale: ForceScale | None = None   # what the force plots span (None: no force)
    # the target and calibration shown are the recording's own (no --r1/--r2/--target given)
    own_settings: bool = True
    # how far from a thrust's peak its pops were looked for (s): --pop-window's, else the one the
    # session was recorded with, else the default
    pop_window_s: float | None = None
    # the corridors the recording kept for a V/HVLA target (session.json's ``target_detail``; None
    # with --target, or none kept: the trainer's for V)
    target_detail: dict | None = None
    # its trainee as the report names them: as typed, tidied, then one spelling whatever each of
    # the report's sessions was typed with (:func:`spell_trainees`); "" for none
    trainee: str = ""
    # sound named as a bare CSV (x.flac beside x.csv), not analysed: not given with --audio
    sound_beside: list = field(default_factory=list)

    @property
    def aim(self):
        """The HVLA target its thrusts are judged against (:func:`ui.library.session_target`), or None."""
        return session_target(self.target, self.target_detail)

    def __post_init__(self) -> None:
        self.label = self.label or Path(self.name).name
        f = self.inp.force
        if self.scale is None and f is not None and len(f.values):
            self.scale = force_scale(f.values)

    def force_drawn(self) -> np.ndarray:
        """The force as drawn: a sample far off the scale (a bus error's 1e30 N) at its edge."""
        return self.scale.drawn(self.inp.force.values)

    def force_note(self) -> str | None:
        """One line about force samples far off the scale, or None."""
        return self.scale.note(self.inp.force.t_s, self.inp.force.values) if self.scale is not None else None

    @property
    def summary(self) -> dict:
        return next((e for e in reversed(self.events) if e.get("type") == "summary"), {})

    @property
    def has_audio(self) -> bool:
        """Whether sound was recorded and listened to for pops (a recording without has no pop
        counts, not counts of 0)."""
        return self.inp.audio_path is not None and self.summary.get("audio", True) is not False

    def gaps(self, stream: str | None = None) -> np.ndarray:
        """The signal gaps, overlapping marks merged (see :func:`ui.review.trace.gap_spans`)."""
        return gap_spans(self.events, self.inp.meta.gaps if self.inp.meta is not None else (), stream)


def spell_trainees(items: list[ReportItem]) -> None:
    """Each item's ``trainee`` as the library spells them (:func:`ui.library.spellings`: the
    spelling most of their sessions here have), tidied (:func:`ui.library.names.tidy_name`), so "anna kowalska" and "Anna Kowalska",
    "Ben O’Brien" and "ben o'brien", " FATIMA  zahra " and "Fatima Zahra" are one name in the
    overview, the sections, the chart and the CSV, which a spreadsheet pivots by."""
    metas = [it.inp.meta for it in items]
    spelt = spellings((m.trainee, m.created) for m in metas if m is not None and tidy_name(m.trainee))
    for it, m in zip(items, metas):
        it.trainee = tidy_name(spelt[name_key(m.trainee)]) if m is not None and tidy_name(m.trainee) else ""


def class_order(item: "ReportItem") -> tuple:
    """Sort key of a class's recordings: by trainee (those without one last), then by when each
    was recorded (the instant its stamp names, its UTC offset counted, as the library orders
    them: :func:`ui.library.time_key`; those without a date last), then by folder."""
    m = item.inp.meta
    who = name_key(m.trainee if m else None)
    when = (m.created or "") if m else ""
    return (not who, who, not when, time_key(when), unicodedata.normalize("NFC", item.name))


def load_item(path: str | os.PathLike, audio=None, r1=None, r2=None, alpha=None, target=None,
              pop_window=None, min_amplitude=None, audio_start_s=None, audio_rate_hz=None) -> ReportItem:
    """Read one input; stored events are used when no flag changes the session's calibration
    (or how far from a thrust's peak a pop still counts for it, or where its audio lies). A
    re-analysis ties pops with ``pop_window`` (ms), else with the session's own pop window."""
    inp = load_input(path, audio, audio_start_s, audio_rate_hz)
    meta = inp.meta
    beside = unasked_sound(inp, path) if audio is None else []
    overrides = any(v is not None for v in (r1, r2, alpha, target, pop_window, min_amplitude, audio_start_s,
                                            audio_rate_hz))
    if meta is not None and not overrides and audio is None and use_stored_events(inp, meta, path):
        # (what the recorder's summary lacks, replay's says: the audio's place against the force;
        # the review's Session tab says it too)
        events, source = stored_events(inp, meta), "stored"
    else:
        from argparse import Namespace
        from ui.options import build_schemes
        scheme, thrust = build_schemes(Namespace(r1=r1, r2=r2, alpha=alpha, target=target,
                                                 pop_window=pop_window, min_amplitude=min_amplitude), meta)
        events, source = [e.to_dict() for e in analyze_input(inp, scheme, thrust)], "analysis"
    tgt = target or (meta.target if meta else None)
    s = next((e for e in reversed(events) if e.get("type") == "summary"), {})
    scheme = GradingScheme(s.get("r1_n"), s.get("r2_n"), alpha=s.get("alpha") or 0.5)
    name = str(path)
    comments = list(meta.comments) if meta else []
    own = r1 is None and r2 is None and target is None
    # (a V score judges thrusts by the corridors the recording kept; --target V: by the trainer's)
    detail = meta.extra.get("target_detail") if meta is not None and target is None else None
    return ReportItem(name, inp, events, source, comments, tgt, session_stats(events, tgt, scheme, detail),
                      own_settings=own, target_detail=detail, trainee=tidy_name(meta.trainee) if meta else "",
                      pop_window_s=pop_window_s(meta) if pop_window is None else float(pop_window) / 1000.0,
                      sound_beside=beside)


def unasked_sound(inp: ReplayInput, path) -> list[Path]:
    """The sound named as a bare CSV ``path`` (``x.flac`` beside ``x.csv``, as ``gradecoach
    simulate --audio`` writes them) that is not analysed, given without --audio (a CSV does not
    say where its sound starts): said in one line in ``inp.warnings``, as replay says it."""
    import shlex

    from firmware_bridge.sources import sound_beside

    p = Path(path)
    if inp.meta is not None or inp.audio_path is not None or not p.is_file():
        return []
    beside = sound_beside(p)
    if beside:
        names = " and ".join(a.name for a in beside)
        inp.warnings.append(f"{path}: {names} beside it {'is' if len(beside) == 1 else 'are'} not analysed (a CSV "
                            f"does not say where its sound starts); to analyse them together, add --audio "
                            f"{shlex.quote(str(beside[0]))}")
    return beside


def _meta_gaps(item: ReportItem) -> list:
    """The gaps a recording's session.json marks (none for a bare file)."""
    return list(item.inp.meta.gaps) if item.inp.meta is not None else []


def overview_dates(items: list[ReportItem]) -> list[str]:
    """When each recording was made, as the overview gives it: with its seconds where two share a
    minute (:func:`ui.library.stats.dates_shown`); "" for one with no date."""
    return dates_shown([it.inp.meta.created if it.inp.meta else None for it in items])


def csv_dates(items: list[ReportItem]) -> list[str]:
    """When each recording was made, as the events and sessions CSVs give it: always to the second
    (:func:`ui.library.stats.full_date`), whichever recordings are written with it, so a
    spreadsheet sorting by date keeps two of one minute apart and CSVs of different weeks line up;
    "" for one with no date."""
    return [full_date(it.inp.meta.created if it.inp.meta else None) for it in items]
