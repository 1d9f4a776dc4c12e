"""Trainee names and recording times as the library compares, sorts and shows them: whatever
the case, accents, spacing and Unicode form a name was typed in; stamps by the instant they
name."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

def same_name(name: str | None) -> str:
    """What two trainee names typed by hand must share to be one trainee: the text in NFC
    (a name copied from a Mac comes in NFD, "C" followed by a combining cedilla, and must match
    "Ç"), spaced as a name is (:func:`tidy_name`: "Ann  Lee " is "Ann Lee"), casefolded ("Anna "
    is "anna")."""
    return tidy_name(name).casefold()


def nfc(text: str | None) -> str:
    """``text`` in Unicode's composed form (NFC), as names and techniques are shown and padded."""
    return unicodedata.normalize("NFC", text or "")


# letters with a stroke or ligatures that Unicode does not decompose into a base letter and a mark,
# read as their base letters: "Łukasz" among the L's, "Søren" among the S's
_BASE_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ŀ": "l",
                               "æ": "ae", "œ": "oe", "þ": "th",
                               # apostrophes, quotes and dashes as keyboards and word processors type
                               # them: "O’Brien" (a phone's, a Mac's) is "O'Brien"; "Kowalska–Nowak" is
                               # "Kowalska-Nowak"
                               "\u2019": "'", "\u2018": "'", "\u201b": "'", "\u02bc": "'", "\u02bb": "'",
                               "`": "'", "\u00b4": "'", "\u2032": "'", "\uff07": "'",
                               "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                               "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
                               "\u2015": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-"})


def name_key(text: str | None) -> str:
    """A name as it sorts and is looked for: case, accents and spacing aside, whichever Unicode
    form it was typed in (a Mac's names are often decomposed, NFD), and whichever apostrophe,
    quote or dash (a phone's "O’Brien" is "O'Brien", "Kowalska–Nowak" "Kowalska-Nowak"), so
    "ANA MARÍA LÓPEZ" and "Ana María López" are one trainee, "Émile" sorts among the E's and
    "emile" finds him."""
    s = " ".join(nfc(text).split()).casefold().translate(_BASE_LETTERS)
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def sort_key(text: str | None) -> tuple[str, str]:
    """A key sorting names as a reader expects, whatever their accents (:func:`name_key`): "Émile"
    beside "Emma", "Łukasz" among the L's, rather than after "Zoë"; names that differ only in
    accents then sort by :func:`same_name`."""
    return name_key(text), same_name(text)


_SPACES = re.compile(r"[ \t\u00a0]+")


def tidy_name(name: str | None) -> str:
    """A name as typed, tidied as it is shown: in NFC, its ends stripped and each run of spaces
    inside it one space (" FATIMA  zahra " is "FATIMA zahra"); a line break typed in one is
    kept, as written."""
    return _SPACES.sub(" ", nfc(name)).strip()


def _capitals(spelt: str) -> tuple[int, int]:
    """How a spelling is preferred among equals otherwise (as many sessions, written with
    capitals or not alike, recorded at one instant): more of its words begun with a capital, then
    fewer capitals in all ("Fatima Zahra" before "FATIMA zahra" and "fatima zahra")."""
    return sum(w[:1].isupper() for w in spelt.split()), -sum(c.isupper() for c in spelt)


def _accents(spelt: str) -> int:
    """How many of a spelling's letters carry their accents (or are letters beyond the basic
    Latin ones, as "ł" and "ß"): a name typed with them was typed so on purpose, one without
    them often in a hurry ("Emile" for "Émile")."""
    return sum(c.isalpha() and not c.isascii() for c in nfc(spelt))


def spellings(names) -> dict[str, str]:
    """One spelling of each trainee, keyed by :func:`name_key`, from ``(trainee, created)`` pairs
    (one a session), tidied (:func:`tidy_name`: "Ann  Lee" is spelt "Ann Lee", and counted with
    it): one with the accents of the name before one without them ("Émile Dubois" once, "Emile
    Dubois" later, is "Émile Dubois": :func:`_accents`); then the one most of their sessions are
    typed with; among equals one written with capitals
    before one without (typed so on purpose: "Anna Schmidt" once, "anna schmidt" later, is "Anna
    Schmidt"), then the latest session's (by the instant it names, :func:`time_key`), then the
    one with its words begun with capitals, then by its text: never by the order the sessions
    come in. What the library's and the report's lists of trainees, a report's title, its
    overview, sections and CSV name them, so "Ana María López" is not "ana maría lópez" in
    another, nor a spreadsheet's pivot two trainees."""
    seen: dict[str, dict[str, tuple[int, tuple]]] = {}
    for name, created in names:
        spelt = tidy_name(name)
        mine = seen.setdefault(name_key(name), {})
        n, latest = mine.get(spelt, (0, (-1,)))
        mine[spelt] = (n + 1, max(latest, time_key(created)))

    def rank(spelt: str, n: int, latest: tuple) -> tuple:
        return _accents(spelt), n, any(c.isupper() for c in spelt), latest, _capitals(spelt), spelt

    return {k: max(v, key=lambda spelt: rank(spelt, *v[spelt])) for k, v in seen.items()}


_ISO_DATE_T = re.compile(r"(\d{4}-\d{2}-\d{2})T(?=\d)")


def time_key(created: str | None) -> tuple:
    """A key sorting sessions by when they were recorded: an ISO stamp by the instant it names,
    its UTC offset counted (a session recorded in Sydney 5 s before one in Los Angeles sorts
    first, though its stamp's text, a day later, sorted last; an hour repeated when the clocks
    go back sorts in the order lived); one without an offset is taken as this computer's local
    time. Stamps typed otherwise by hand sort after them, by their text."""
    text = created or ""
    try:
        return 0, datetime.fromisoformat(text).timestamp(), text
    except (ValueError, OverflowError, OSError):      # (not ISO; a year the clock functions cannot hold)
        return 1, 0.0, text


def short_date(created: str | None, seconds: bool = False) -> str:
    """A session's creation time as the library, the review and the report show it: an ISO one
    "2025-03-01 10:00" (with ``seconds`` "2025-03-01 10:00:05"), one with a UTC offset in this
    computer's time zone, whatever the recording machine's ("18:46:09+01:00" is 17:46 here in
    UTC, among sessions stamped in UTC at 17:43 and 17:47, in the order :func:`time_key` sorts
    them); one without an offset as written; one typed otherwise by hand ("Tue Nov 18 08:30:00
    2026") its first 16 (19) characters as they are."""
    text = created or ""
    n = 19 if seconds else 16
    try:
        when = datetime.fromisoformat(text)
        if when.tzinfo is not None:
            return when.astimezone().isoformat(" ", "seconds")[:n]
    except (ValueError, OverflowError, OSError):      # (not ISO; a year the clock functions cannot hold)
        pass
    return _ISO_DATE_T.sub(r"\1 ", text[:n], count=1)


def closest_names(typed: str, names) -> list[str]:
    """The trainees among ``names`` (as :func:`spellings` spells them) that ``typed``, a name no
    session has, was likely meant for, most alike first: those whose words begin with its words
    ("emile" for "Émile Dubois", "ann" for "Anna"), then those spelt nearly alike ("zeynep celk",
    "Ana" for "Anna"), compared as :func:`name_key` compares names; at most three."""
    import difflib

    want = name_key(typed)
    keyed = {name_key(n): n for n in names if name_key(n)}      # ("no trainee": nothing to mean)
    words = want.split()
    begun = [k for k in keyed if all(any(w.startswith(t) for w in k.split()) for t in words)]
    near = difflib.get_close_matches(want, list(keyed), n=3, cutoff=0.75)
    out = sorted(begun, key=lambda k: sort_key(keyed[k])) + [k for k in near if k not in begun]
    return [keyed[k] for k in out[:3]]


def no_such_trainee(root, typed: str, names) -> str:
    """The one line ``library list --trainee`` and ``report --class --trainee`` give for a name
    that no session under ``root`` has: the name as typed, the likeliest meant
    (:func:`closest_names`) and every trainee there, "(no trainee)" for sessions without one:
    "class: no sessions of 'Emile' under it (did you mean 'Émile Dubois'?); trainees: Anna,
    Émile Dubois"."""
    names = sorted(names, key=sort_key)
    close = closest_names(typed, names)
    meant = f" (did you mean {' or '.join(repr(n) for n in close)}?)" if close else ""
    return (f"{root}: no sessions of {nfc(typed).strip()!r} under it{meant}; trainees: "
            f"{', '.join(n or '(no trainee)' for n in names)}")
