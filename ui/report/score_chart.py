"""The class report's score chart (:func:`scores_figure`): a bar per recording with a score,
under each its number as the page's sections are numbered, whose it is and its target, and a
dashed line where a trainee's target changes."""

from __future__ import annotations

from ui.library import is_hvla, name_key
from ui.library.stats import dates_shown
from ui.report.figures import GRID_ALPHA, _dispose, _figure, _plot, _png, _qt
from ui.report.recordings import ReportItem


def score_ticks(scores: list[float | None], width_px: float, font, label_px: float | None = None
                ) -> list[list[tuple[float, str]]]:
    """The score chart's x ticks for recordings with these scores across ``width_px``: a tick
    at every recording, and its number ("–" after it when it has no score) at every one, or
    at every 2nd, 5th, 10th... when numbers side by side would run together ("1011121314"
    under 64 recordings); ``label_px`` is the room one label takes along the axis, when not
    the widest number's (a label turned upright takes its line's height)."""
    from PySide6.QtGui import QFontMetrics
    fm = QFontMetrics(font)
    n = len(scores)
    if label_px is None:
        widest = str(max(n, 1)) + (" –" if None in scores else "")
        label_px = fm.horizontalAdvance(widest) + 2 * fm.horizontalAdvance("0")
    per_px = width_px / (max(n, 1) + 0.5)                    # (the x range: -0.75 to n - 0.25)
    step = next(k * 10 ** e for e in range(10) for k in (1, 2, 5) if k * 10 ** e * per_px >= label_px)
    major = [(float(i), str(i + 1) + (" –" if v is None else "")) for i, v in enumerate(scores)
             if step == 1 or (i + 1) % step == 0]
    return [major, [(float(i), "") for i in range(n)]]


SCORE_NAME_PX = 120      # a trainee's name under the score chart is cut short ("…") past this width


def score_who(items: list[ReportItem], font) -> list[list[str]]:
    """Whose each bar of the score chart is: its trainee ("no trainee" for a recording without
    one, as the overview says), a name wider than :data:`SCORE_NAME_PX` cut short with "…",
    and for a trainee with several recordings in the chart the date each was recorded, where
    it has one: its day ("2025-03-01") where that tells them apart, else with the time, as the
    overview gives it; the bar's number tells the rest apart."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetrics
    fm = QFontMetrics(font)
    names = [it.trainee or "no trainee" for it in items]
    keys = [name_key(n) for n in names]
    created = [it.inp.meta.created if it.inp.meta else None for it in items]
    out = []
    for i, (name, key) in enumerate(zip(names, keys)):
        who = [fm.elidedText(" ".join(name.split()), Qt.TextElideMode.ElideRight, SCORE_NAME_PX)]
        mine = [j for j, k in enumerate(keys) if k == key]
        if len(mine) > 1:
            # (the day alone where it tells the trainee's recordings apart, the seconds where
            # two share a minute: as Progress labels them)
            when = dict(zip(mine, dates_shown([created[j] for j in mine], day_alone=True)))[i]
            if when:
                who.append(when)
        out.append(who)
    return out


def _score_axis(pg):
    """The score chart's x axis: under each numbered tick its trainee (and date), on lines of
    their own where every bar's fit across its room, else on one line turned upright."""

    class ScoreAxis(pg.AxisItem):
        labels: dict[str, str] = {}       # a tick's number → the label drawn for it
        upright = False
        band_px = 18.0
        drawn: list[str] = []             # the labels as last drawn

        def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):
            from PySide6.QtCore import QRectF, Qt
            super().drawPicture(p, axisSpec, tickSpecs, [])
            self.drawn = []
            for rect, _flags, text in textSpecs:
                label = self.labels.get(text, text)
                x, top = rect.center().x(), rect.top()
                if self.upright:          # (read from below; it ends at its tick)
                    p.save()
                    p.translate(x, top)
                    p.rotate(-90)
                    lh = p.fontMetrics().height()
                    p.drawText(QRectF(-self.band_px, -lh / 2, self.band_px, lh),
                               int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), label)
                    p.restore()
                else:
                    w = max(p.fontMetrics().horizontalAdvance(line) for line in label.split("\n")) + 4
                    p.drawText(QRectF(x - w / 2, top, w, self.band_px),
                               int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), label)
                self.drawn.append(label)

    return ScoreAxis(orientation="bottom")


def _scores_plot(items: list[ReportItem]):
    """The score chart's widget and plot, not yet drawn (see :func:`scores_figure`)."""
    from PySide6.QtGui import QFontMetrics
    pg, _ = _qt()
    hvla = any(is_hvla(it.target) for it in items)
    gw, p = _plot("score by recording: % on target" + ("; of an HVLA session, % of thrusts on target" if hvla else ""),
                  "recording" + (" (– no score)" if any(it.stats.get("score_pct") is None for it in items) else ""),
                  "score (%)", 1000, 300)
    title = p.getAxis("bottom").labelText
    ax = _score_axis(pg)
    p.setAxisItems({"bottom": ax})
    ax.setLabel(title)
    p.showGrid(x=True, y=True, alpha=GRID_ALPHA)
    scores = [it.stats.get("score_pct") for it in items]
    x = [float(i) for i, v in enumerate(scores) if v is not None]
    if x:
        p.addItem(pg.BarGraphItem(x=x, height=[v for v in scores if v is not None], width=0.7,
                                  brush=pg.mkBrush(90, 140, 220)))
    font = ax.font()
    fm = QFontMetrics(font)
    # each bar's target under it, and a dashed line where a trainee's target changes: II, II,
    # III, III scored 0, 100, 100, 0 % read as a fall back in week 4, a new and harder target
    who = [[*w, f"target {it.target}" if it.target else "no target"] for w, it in zip(score_who(items, font), items)]
    _target_changes(p, items)
    nums = [str(i + 1) + (" –" if v is None else "") for i, v in enumerate(scores)]
    per_px = p.vb.width() / (max(len(items), 1) + 0.5)
    widest = max((fm.horizontalAdvance(line) for n, w in zip(nums, who) for line in (n, *w)), default=0)
    ax.upright = widest + fm.horizontalAdvance("0") > per_px
    if ax.upright:                     # ("12 ana, 2025-03-01" read from below, one per line's height)
        ax.labels = {n: f"{n} {', '.join(w)}" for n, w in zip(nums, who)}
        ticks = score_ticks(scores, p.vb.width(), font, fm.height() + 6)
        # (room for the longest whether or not a recording lacks a score: the plot's height
        # does not change with it)
        ax.band_px = max((fm.horizontalAdvance(f"{i} – {', '.join(w)}") for i, w in enumerate(who, 1)),
                         default=14) + 4
    else:                              # ("12" above "ana" above "2025-03-01")
        ax.labels = {n: "\n".join((n, *w)) for n, w in zip(nums, who)}
        ticks = score_ticks(scores, p.vb.width(), font)
        ax.band_px = fm.lineSpacing() * max((len(w) + 1 for w in who), default=1) + 2
    ax.setTicks(ticks)
    ax.enableAutoSIPrefix(False)
    ax.setStyle(autoExpandTextSpace=False, tickTextHeight=int(ax.band_px + 1))
    for i in (i for i, v in enumerate(scores) if v is None):   # (a number left unlabelled is still marked)
        t = pg.TextItem("–", color=(60, 60, 60), anchor=(0.5, 1.0))
        font = ax.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        t.setFont(font)
        t.setPos(float(i), 0.0)
        p.addItem(t)
    p.setXRange(-0.75, max(len(items), 1) - 0.25, padding=0)
    p.setYRange(0.0, 100.0)
    # (the plot keeps its height: the figure grows by what the labels take beyond a line)
    from PySide6.QtCore import QRectF
    h = 300 + max(0, int(ax.band_px) - 18)
    gw.resize(1000, h)
    gw.ci.setGeometry(QRectF(0, 0, 1000, h))
    return gw, p


def _target_changes(p, items: list[ReportItem]) -> None:
    """A dashed vertical line between two bars of one trainee recorded against different
    targets, as Progress marks a change of target (between two trainees it says nothing)."""
    pg, _ = _qt()
    from ui.review.target_runs import TARGET_CHANGE_PEN
    for i, (a, b) in enumerate(zip(items, items[1:]), 1):
        if name_key(a.trainee) == name_key(b.trainee) and (a.target or None) != (b.target or None):
            p.addItem(pg.InfiniteLine(i - 0.5, angle=90, pen=pg.mkPen(**TARGET_CHANGE_PEN)), ignoreBounds=True)


@_figure
def scores_figure(items: list[ReportItem]) -> str:
    """A bar per recording with a score; one without (no target, nothing graded) has no bar,
    "–" where it would stand and after its number, as in the overview table (a bar of height 0
    read as 0 %). Under each bar its number, as the report's sections are numbered, whose it is
    (:func:`score_who`) and its target ("target III", "no target"); a dashed line between two
    bars of one trainee where the target changes."""
    gw, p = _scores_plot(items)
    out = _png(p)
    _dispose(gw)
    return out
