"""Okabe–Ito colours (safe for the common colour-vision deficiencies), one per grade."""

from __future__ import annotations

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}

GRADE_COLOURS = {
    "I": OKABE_ITO["sky_blue"],
    "II": OKABE_ITO["bluish_green"],
    "III": OKABE_ITO["orange"],
    "IV": OKABE_ITO["blue"],
    "V": OKABE_ITO["reddish_purple"],
    None: "#7f7f7f",                 # ungraded (no calibration)
}
def darker(hex_colour: str, share: float = 0.5) -> str:
    """``hex_colour`` with its red, green and blue scaled by ``share``: the same hue, darker."""
    h = hex_colour.lstrip("#")
    return "#" + "".join(f"{round(share * int(h[i:i + 2], 16)):02X}" for i in (0, 2, 4))


# A finished cycle is drawn in its grade's colour, which tells the grades apart (the palette's
# colour-blind safety lies there), over an outline of the same hue at half its brightness, which
# sets it off from the pale bands under it: sky blue on the I/II target band and orange on a
# III target zone read 1.5:1 alone, under the 3:1 WCAG 2.1 asks of a graphic; the outlines
# read at least 3:1 on every band (tests/ui/trainer/test_plot_cycle_contrast.py).
GRADE_OUTLINES = {g: darker(c) for g, c in GRADE_COLOURS.items()}
TRACE = "#404040"                    # the force trace not yet in a finished cycle
ALERT = OKABE_ITO["vermillion"]      # let-up, beyond R2, disconnect banner
GOOD = OKABE_ITO["bluish_green"]
# sound that hides pops (a voice, music: the detector's loud spans) under the sound's trace, on the
# trainer's audio strip and the review's sound plot: a flat grey tint (RGBA)
LOUD_SOUND = (120, 120, 120, 60)


def rgba(hex_colour: str, alpha: int) -> tuple[int, int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), alpha


def grade_colour(grade: str | None) -> str:
    return GRADE_COLOURS.get(grade, GRADE_COLOURS[None])
