"""Each recording's facts, read from a report page in the order it gives them."""

from __future__ import annotations

import html
import re


def facts(text: str) -> list[list[tuple[str, str]]]:
    """Each recording's facts (label, value), in the order the page gives them."""
    return [[(html.unescape(k), html.unescape(v)) for k, v in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", sec)]
            for sec in re.findall(r'<section class="recording".*?</section>', text, re.S)]
