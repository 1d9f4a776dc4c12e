"""One self-contained HTML report of one or many recordings, and a CSV of all their events.

Figures are drawn offscreen with pyqtgraph and embedded as base64 PNG (``ImageExporter``),
so the page can be mailed or filed on its own. The numbers in the tables are the events'
own, rounded for reading; ``--csv`` carries them at full precision.

Its parts: :mod:`~ui.report.recordings` (the recordings reported, :class:`ReportItem`: each read,
its trainee spelt as the others, a class's in order, their gaps and dates),
:mod:`~ui.report.counts` (a recording's cycles, let-ups and pops as the page and the CSVs both
count them), :mod:`~ui.report.figures` (how a figure is drawn offscreen, and a recording's force,
movement, grades and thrusts figures), :mod:`~ui.report.score_chart` (the class's score chart),
:mod:`~ui.report.page` (the HTML page: its overview, sections, tables and style) and
:mod:`~ui.report.csv_exports` (the events CSV and the sessions CSV).

A test that replaces a helper (``_png``, to watch what is drawn) replaces it in the module that
calls it: :mod:`~ui.report.figures` for a recording's figures, :mod:`~ui.report.score_chart` for
the score chart.
"""

from ui.report.recordings import (ReportItem, class_order, csv_dates, load_item, overview_dates, spell_trainees,
                                  unasked_sound)
from ui.report.counts import (SOUND_UNREADABLE, cycles_cell, letups_cell, pops_cell, pops_heard, pops_masked,
                              pops_partly_heard, pops_said, thrust_pops)
from ui.report.figures import GRID_ALPHA, _dispose, force_figure, histogram_figure, movement_figure, thrust_figure
from ui.report.score_chart import SCORE_NAME_PX, _scores_plot, score_ticks, score_who, scores_figure
from ui.report.page import (BURST_HEAD, CLASS_HEAD, CSS, GENERATOR, MOVED_HEAD, SET_HEAD, THRUST_HEAD,
                            calibrations_note, item_section, ms_from_peak, render_html, set_rows, thrust_head,
                            thrust_rows)
from ui.report.csv_exports import (CLOCK_STEPPED_BACK, CSV_COLUMNS, EVENT_COLS, NUMBER_COLS, POP_COLS, RECORDING_COLS,
                                   SESSIONS_CSV_COLUMNS, SESSIONS_CSV_EARLIER_COLUMNS, VERDICT_COLS, gap_figures,
                                   spreadsheet_text, write_csv, write_sessions_csv)

__all__ = [
    "ReportItem", "class_order", "csv_dates", "load_item", "overview_dates", "spell_trainees", "unasked_sound",
    "SOUND_UNREADABLE", "cycles_cell", "letups_cell", "pops_cell", "pops_heard", "pops_masked", "pops_partly_heard",
    "pops_said", "thrust_pops",
    "GRID_ALPHA", "force_figure", "histogram_figure", "movement_figure", "thrust_figure",
    "SCORE_NAME_PX", "score_ticks", "score_who", "scores_figure",
    "BURST_HEAD", "CLASS_HEAD", "CSS", "GENERATOR", "MOVED_HEAD", "SET_HEAD", "THRUST_HEAD", "calibrations_note",
    "item_section", "ms_from_peak", "render_html", "set_rows", "thrust_head", "thrust_rows",
    "CLOCK_STEPPED_BACK", "CSV_COLUMNS", "EVENT_COLS", "NUMBER_COLS", "POP_COLS", "RECORDING_COLS",
    "SESSIONS_CSV_COLUMNS", "SESSIONS_CSV_EARLIER_COLUMNS", "VERDICT_COLS", "gap_figures", "spreadsheet_text",
    "write_csv", "write_sessions_csv",
    # (helpers of the score chart that its tests call through the package)
    "_dispose", "_scores_plot",
]
