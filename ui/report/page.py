"""The report's HTML page (:func:`render_html`): a class's overview table, its score chart and a
note where its recordings were graded differently, then a section of each recording
(:func:`item_section`) with its facts, warnings, figures and tables.

The numbers in the tables are the events' own, rounded for reading; ``--csv`` carries them at
full precision.
"""

from __future__ import annotations

import html
import math
from typing import Callable

from analysis.scheme import GradingScheme
from analysis.summary import pops_count
from ui.library import ON_TARGET, describe_target, describe_thrust_verdict, score_heading
from ui.library.stats import all_cycles, count_cell, score_shown
from ui.report.counts import (cycles_cell, letups_cell, pops_cell, pops_masked, pops_partly_heard, pops_said,
                              thrust_pops)
from ui.report.figures import force_figure, histogram_figure, movement_figure, thrust_figure
from ui.report.recordings import ReportItem, _meta_gaps, overview_dates, spell_trainees
from ui.report.score_chart import scores_figure
from ui.review.data import (describe_calibration, describe_feedback, describe_imu, describe_screen_changes,
                            describe_stopped, distinct_names, imu_only, merge_warnings, recorded_with, short_date)
from ui.review.trace import describe_gaps
from ui.table import (beyond_r2_shown, crest_position, describe_lengths, describe_letup, imu_thrust, in_grade_order,
                      number_or_none, pct_text, without_sensor)


def _f(v, spec="{:.1f}") -> str:
    """``v`` as ``spec`` gives it (a format, or a function such as :func:`ui.table.pct_text`); "–" for None."""
    return "–" if v is None else spec(v) if callable(spec) else spec.format(v)


def _table(cls: str, head: list[str], rows: list[list[str]], text_cols: tuple[int, ...] = ()) -> str:
    """An HTML table; the columns in ``text_cols`` hold prose (left, lines kept, long words broken)."""
    h = "".join(f"<th>{html.escape(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(f'<td class="text">{html.escape(str(c))}</td>' if j in text_cols
                                    else f"<td>{html.escape(str(c))}</td>" for j, c in enumerate(r)) + "</tr>"
                   for r in rows)
    return f'<table class="{cls}"><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>'


def _img(b64: str, alt: str) -> str:
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{b64}"></figure>'


SET_HEAD = ["set", "from (s)", "to (s)", "cycles", "grades", "mean freq (Hz)", "freq CV (%)",
            "mean amplitude (N)", "amplitude CV (%)", "mean crest (N)", "mean crest in R1–R2", "on target (%)",
            "beyond R2"]
THRUST_HEAD = ["thrust", "peak at (s)", "preload (N)", "peak (N)", "time to peak (ms)", "duration (ms)",
               "mean rate (N/s)", "max rate (N/s)", "let-up (N)", "pops", "first pop (ms after peak; - before)"]


def set_rows(summary: dict) -> list[list[str]]:
    return [[str(s["set_index"] + 1), f"{s['t_start']:.2f}", f"{s['t_end']:.2f}", str(s["n_cycles"]),
             " ".join(f"{k}:{v}" for k, v in in_grade_order(s["grade_histogram"])), _f(s["mean_freq_hz"], "{:.2f}"),
             _f(s["freq_cv_pct"]), _f(s["mean_amplitude_n"]), _f(s["amplitude_cv_pct"]), _f(s["mean_crest_n"]),
             crest_position(summary, s["mean_crest_n"]) or "–", _f(s["on_target_pct"], pct_text),
             beyond_r2_shown(summary, s["beyond_r2"])]
            for s in summary.get("sets", [])]


MOVED_HEAD = "hand moved (mm)"


def _moved(summary: dict) -> bool:
    """Whether the thrusts table has a column of the hand's movement: when any thrust was seen
    by a hand-worn IMU, which measures it (``displacement_mm``) and no force."""
    return any(t.get("displacement_mm") is not None for t in summary.get("thrusts", []))


BURST_HEAD = "acceleration burst (ms)"


def _burst(summary: dict) -> bool:
    """Whether the thrusts table has a column of the acceleration bursts: when a thrust was seen
    by a hand-worn IMU alone, whose ``duration_ms`` is how long the hand accelerated (often
    over before the hand's deepest point), not how long the thrust lasted, which is not measured."""
    return any(imu_thrust(t) for t in summary.get("thrusts", []))


def thrust_head(summary: dict, aim=None) -> list[str]:
    """The thrusts table's header: :data:`THRUST_HEAD`, with "hand moved (mm)" after the peak's
    force when a thrust has its movement measured, "acceleration burst (ms)" after the
    duration when a thrust was seen by an IMU alone, and "on target" last against a V/HVLA
    target (``aim``)."""
    head = list(THRUST_HEAD) + ([ON_TARGET] if aim is not None else [])
    if _burst(summary):
        head.insert(head.index("duration (ms)") + 1, BURST_HEAD)
    if _moved(summary):
        head.insert(head.index("peak (N)") + 1, MOVED_HEAD)
    return head


def thrust_rows(summary: dict, audio: bool = True, aim=None) -> list[list[str]]:
    """The thrusts table's rows, in the columns of :func:`thrust_head`; without ``audio`` (no
    sound recorded), or for a thrust the sound did not reach (``pops`` null), the pops are "–",
    not 0. Against a V/HVLA target (``aim``, :func:`ui.library.session_target`) each ends with
    whether it was on target, as the trainer judges it ("no — peak 702 N above 400–650 N")."""
    moved, burst = _moved(summary), _burst(summary)
    return [[str(t["index"] + 1), f"{t['t_peak']:.3f}", _f(t["preload_n"]), _f(t["peak_n"]),
             # from onset to peak, as the trainer says it ("hand moved 3.9 mm")
             *([_f(t.get("displacement_mm"))] if moved else []),
             # an IMU's thrust: no duration measured; its duration_ms is the acceleration burst
             _f(t["time_to_peak_ms"]), _f(None if imu_thrust(t) else t.get("duration_ms")),
             *([_f(t.get("duration_ms") if imu_thrust(t) else None)] if burst else []),
             _f(t["rate_n_per_s"], "{:.0f}"),
             _f(t["max_rate_n_per_s"], "{:.0f}"),
             # as measured, whether it counts after it ("flagged", "(under 7.7 N: none)"); an IMU's
             # thrust has no forces: its let-up is unknown
             describe_letup(t.get("letup_n"), bool(t.get("letup")), preload_n=number_or_none(t.get("preload_n"))),
             # pops: none heard is 0; no sound at all, or none over this thrust, is unknown
             # ("≥2": part of its pop window went unheard, so more may have come there; "0 (loud
             # sound)", "≥2 (loud sound)": heard in sound that hides most pops, a voice or music)
             *(("–", "–") if (p := thrust_pops(t, audio))[0] is None
               else (pops_count(p[0], pops_partly_heard(t), pops_masked(t)) + " (loud sound)" * pops_masked(t),
                     ms_from_peak(p[1]))),
             *([describe_thrust_verdict(t, aim)] if aim is not None else [])]
            for t in summary.get("thrusts", [])]


def ms_from_peak(ms: float | None) -> str:
    """A first pop's time from its thrust's peak (ms) as the thrusts table gives it: "-6", "+3";
    "0" for one that rounds to the peak (-0.3 ms), which replay says is "at peak force"
    (:func:`analysis.summary.describe_pops`), not "-0"; "–" for none (or not a finite number)."""
    if ms is None or not math.isfinite(ms):
        return "–"
    return "0" if round(ms) == 0 else f"{round(ms):+d}"


def item_section(item: ReportItem, n: int) -> str:
    s, m = item.summary, item.inp.meta
    parts = [f'<section class="recording" id="r{n}"><h2>{n}. {html.escape(item.label)}</h2>']
    facts = []
    if m is not None:
        facts += [("trainee", item.trainee), ("date", short_date(m.created)), ("technique", m.technique)]
    gaps = describe_gaps(item.events, _meta_gaps(item))
    facts += [("target", describe_target(item.target, item.target_detail)), ("duration", describe_lengths(s)),     # (as replay's table: "11.3 s (audio 11.8 s)")
              *describe_stopped(m)]             # (worded as the review's details and replay's warning)
    if gaps:                                       # (the duration counts them: say how much is missing)
        facts.append(("gaps", gaps))
    # (recorded with a hand-worn IMU alone, the calibration graded nothing: said so, as the review does)
    facts += [("calibration", describe_calibration(s.get("r1_n"), s.get("r2_n"), s.get("alpha"), spec="{:.1f}",
                                                   force=not imu_only(item.inp))
               if s.get("r1_n") is not None else "none (cycles not graded)"),
              # graded with another calibration than the trainee practised against (a saved re-analysis,
              # --r1/--r2/--alpha/--target): the recording's own, as the review's details say it
              *([] if imu_only(item.inp) else
                recorded_with(m.extra, m, s.get("r1_n"), s.get("r2_n"), s.get("alpha"), item.target, spec="{:.1f}",
                              with_alpha=True)
                if m is not None else []),
              # what the trainer's screen graded with meanwhile, worded as the review words it
              # (session.json's top-level keys other than the known ones are in meta.extra)
              *(describe_screen_changes(m.extra, m, None if item.own_settings else False) if m is not None else []),
              # the feedback schedule the trainee practised with, and when it changed, as the review says it
              *(describe_feedback(m.extra) if m is not None else []),
              (score_heading([item.target]), score_shown(item.stats.get("score_pct"), item.target,
                                                         item.stats.get("n_thrusts"), all_cycles(item.stats)))]
    if item.inp.imu is not None:
        facts.append(("IMU cycles", describe_imu(item.events)))
    facts.append(("pops", pops_said(item)))
    facts += [("events from", "the stored analysis" if item.source == "stored" else "a fresh analysis of the raw data")]
    parts.append('<dl class="facts">' + "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v or '–'))}</dd>"
                                                for k, v in facts) + "</dl>")
    note = item.force_note()
    # (a warning the stored analysis kept naming the folder where it was then is said once)
    kept = s.get("warnings")
    warns = list(dict.fromkeys(merge_warnings(item.inp.warnings, kept if isinstance(kept, list) else [], item.name)
                               + ([note] if note else [])))
    if warns:
        parts.append('<ul class="warnings">' + "".join(f"<li>{html.escape(w)}</li>" for w in warns) + "</ul>")
    if item.inp.force is not None and len(item.inp.force.t_s):
        parts.append(_img(force_figure(item), f"force of {item.label}"))
    else:                                          # (an empty plot with R1 and R2 across it said nothing)
        streams = [name for name, there in (("sound", item.inp.audio_path is not None),
                                            ("IMU", item.inp.imu is not None)) if there]
        parts.append(f'<p class="no-force">No force was recorded'
                     f'{" (" + " and ".join(streams) + " only)" if streams else ""}.</p>')
        moved = movement_figure(item) if imu_only(item.inp) else None
        if moved is not None:
            parts.append(_img(moved, f"hand movement of {item.label}"))
    if s.get("grade_histogram"):
        parts.append(_img(histogram_figure(s["grade_histogram"], "grades"), "grade histogram"))
    if s.get("sets"):
        parts.append("<h3>Sets</h3>" + _table("sets", SET_HEAD, set_rows(s)))
    if s.get("thrusts"):
        if item.scale is not None:                 # (an IMU's thrusts alone: no force to draw, an empty frame)
            parts.append(_img(thrust_figure(item), "thrusts"))
        parts.append("<h3>Thrusts</h3>" + _table("thrusts", thrust_head(s, item.aim),
                                                        thrust_rows(s, item.has_audio, item.aim)))
    if s.get("pops_outside_thrusts"):
        rows = [[f"{p['t']:.3f}", "–" if p.get("set_index") is None else str(p["set_index"] + 1)]
                for p in s["pops_outside_thrusts"]]
        # (sound alone: no thrust to be outside of; its pops are those heard, as replay says)
        alone = item.inp.imu is None and (item.inp.force is None or not len(item.inp.force.t_s))
        parts.append(f"<h3>{'Pops heard' if alone else 'Pops outside any thrust'}</h3>"
                     + _table("free-pops", ["at (s)", "during set"], rows))
    away = [p for p in s.get("pops_without_force") or []
            if isinstance(p, dict) and number_or_none(p.get("t")) is not None]
    if away:                                   # (the sound began before the sensor or ran on after it)
        rows = [[f"{p['t']:.3f}", f"{p['when']} it" if p.get("when") in ("before", "after") else "–"] for p in away]
        parts.append(f"<h3>Pops heard where {without_sensor(s)} was recorded</h3>"
                     + _table("pops-without-force", ["at (s)", "when"], rows))
    if item.comments:
        rows = [[f"{float(c.get('t_s', 0)):.2f}", c.get("author", ""), c.get("text", "")] for c in item.comments]
        parts.append("<h3>Comments</h3>" + _table("comments", ["at (s)", "by", "comment"], rows, text_cols=(1, 2)))
    parts.append("</section>")
    return "\n".join(parts)


CLASS_HEAD = ["#", "recording", "trainee", "date", "target", "score (%)", "cycles", "beyond R2", "thrusts", "let-ups",
              "pops with a thrust", "freq CV (%)",
              "amplitude CV (%)", "peak mean (N)", "peak SD (N)", "time to peak mean (ms)", "time to peak SD (ms)"]

CSS = ("body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:.5em 0}"
       "td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}th{background:#eee}"
       "img{max-width:100%}dl.facts{display:grid;grid-template-columns:max-content auto;gap:0 1em}"
       "dt{font-weight:bold}.warnings{color:#a40}td.text{text-align:left;white-space:pre-wrap;overflow-wrap:anywhere}")


def _generator() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return f"gradecoach {version('gradecoach')}"
    except PackageNotFoundError:
        return "gradecoach (from the sources)"


# the page's head names gradecoach its generator: by it a later report knows the page for one it
# may replace (ui.options.report_page), and any other HTML page for one to keep
GENERATOR = f"<meta name='generator' content='{html.escape(_generator(), quote=True)}'>"


def calibrations_note(items: list[ReportItem]) -> str | None:
    """One line under the overview when its recordings were graded against different
    calibrations, naming each with the overview's numbers of its recordings ("R1 40.0 N, R2
    120.0 N, alpha 0.5 (recordings 1, 3); R1 30.0 N, R2 100.0 N, alpha 0.7 (recording 2)"): the
    same set scored 100 and 50 side by side with nothing in the table to say why; and when the
    thrusts of its V/HVLA recordings were judged against different corridors, a sentence naming
    each the same way ("V, preload 100–160 N, peak 400–650 N (recording 1); V, preload 120–135
    N, peak 500–700 N (recording 2)"). None when they share one (recordings without a
    calibration or without force are left out, and of the corridors those with no thrust or
    thrusts an IMU alone measured: nothing judged by them)."""
    groups: dict[str, list[int]] = {}
    corridors: dict[str, list[int]] = {}
    for i, it in enumerate(items, 1):
        s = it.summary
        if imu_only(it.inp) or it.inp.force is None:
            continue
        if it.aim is not None and it.stats.get("n_thrusts"):
            corridors.setdefault(describe_target(it.target, it.target_detail), []).append(i)
        if s.get("r1_n") is None or s.get("r2_n") is None:
            continue
        words = describe_calibration(s["r1_n"], s["r2_n"], s.get("alpha") or GradingScheme().alpha, spec="{:.1f}")
        groups.setdefault(words, []).append(i)

    def named(by: dict[str, list[int]]) -> str:
        return "; ".join(f"{words} (recording{'s' if len(nums) > 1 else ''} {', '.join(map(str, nums))})"
                         for words, nums in by.items()) + "."

    said = ([f"Graded against different calibrations: {named(groups)}"] if len(groups) > 1 else []) + \
           ([f"Thrusts judged against different corridors: {named(corridors)}"] if len(corridors) > 1 else [])
    return " ".join(said) or None


def render_html(items: list[ReportItem], title: str = "gradecoach report",
                progress: Callable[[int, int, str], None] | None = None, left_out: list[str] = (),
                copies: list[str] = ()) -> str:
    """The page; ``left_out`` are the reasons a class's session folders that could not be read
    were left out, listed at its top (they were said on the terminal only, the page reading as
    if the class had no more sessions); ``copies`` the lines saying which of its recordings were
    found in several folders (:func:`ui.cmd_report.copies_of_class`), under them."""
    for it, label in zip(items, distinct_names([it.name for it in items])):
        it.label = label
    spell_trainees(items)
    out = [f"<!DOCTYPE html><html><head><meta charset='utf-8'>{GENERATOR}<title>{html.escape(title)}</title>"
           f"<style>{CSS}</style></head><body><h1>{html.escape(title)}</h1>"]
    if left_out:
        out.append(f'<p class="left-out">{len(left_out)} session folder{"s" if len(left_out) != 1 else ""} '
                   f'could not be read and {"are" if len(left_out) != 1 else "is"} not in this report:</p>'
                   '<ul class="warnings left-out">' + "".join(f"<li>{html.escape(w)}</li>" for w in left_out)
                   + "</ul>")
    if copies:
        out.append('<ul class="warnings copies">' + "".join(f"<li>{html.escape(w)}</li>" for w in copies) + "</ul>")
    if len(items) > 1:
        rows = []
        # (the seconds where two share a minute: two sessions recorded one after the other)
        dates = overview_dates(items)
        for i, it in enumerate(items, 1):
            st = it.stats
            # (a session without a trainee says so, as the review does, rather than a blank cell)
            rows.append([str(i), it.label, it.trainee or "no trainee", dates[i - 1],
                         it.target or "–", score_shown(st["score_pct"], it.target, st["n_thrusts"], all_cycles(st)),
                         # (a safety matter: the cycles beyond R2, "–" where not known: no R2)
                         cycles_cell(it), count_cell(st["n_beyond_r2"]), str(st["n_thrusts"]),
                         letups_cell(it), pops_cell(it),
                         _f(st["freq_cv_pct"]), _f(st["amplitude_cv_pct"]), _f(st["peak_mean_n"]),
                         _f(st["peak_sd_n"]), _f(st["ttp_mean_ms"]), _f(st["ttp_sd_ms"])])
        out.append("<h2>Overview</h2>" + _table("overview", CLASS_HEAD, rows, text_cols=(1, 2, 3, 4)))
        mixed = calibrations_note(items)
        if mixed:
            out.append(f'<p class="calibrations">{html.escape(mixed)}</p>')
        out.append(_img(scores_figure(items), "scores by recording"))
    for i, it in enumerate(items, 1):
        if progress:
            progress(i - 1, len(items), it.name)
        out.append(item_section(it, i))
    if progress:
        progress(len(items), len(items), "")
    out.append("</body></html>")
    return "\n".join(out)
