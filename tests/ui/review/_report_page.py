"""Page, a reader of a report's HTML page: its tables, images and warnings."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """Collects tables (by class: header + rows of cell text), images and warnings."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.images: list[dict] = []
        self.warnings: list[str] = []
        self._table = None
        self._row = None
        self._cell = None
        self._li = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(a.get("class", ""), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "img":
            self.images.append(a)
        elif tag == "li":
            self._li = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "li" and self._li is not None:
            self.warnings.append("".join(self._li))
            self._li = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._li is not None:
            self._li.append(data)

    def table(self, cls: str) -> list[dict[str, str]]:
        head, *rows = self.tables[cls]
        return [dict(zip(head, r)) for r in rows]
