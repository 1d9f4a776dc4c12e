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
TRACE = "#404040"                    # the force trace not yet in a finished cycle
ALERT = OKABE_ITO["vermillion"]      # let-up, beyond R2, disconnect banner
GOOD = OKABE_ITO["bluish_green"]


def rgba(hex_colour: str, alpha: int) -> tuple[int, int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), alpha


def grade_colour(grade: str | None) -> str:
    return GRADE_COLOURS.get(grade, GRADE_COLOURS[None])
