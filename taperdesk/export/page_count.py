"""A ReportLab canvas that holds every page back until the document ends, so a
footer can say "page x of y": platypus only knows y once it has laid out the
last page. The handout and the clinician summary draw their own footers on it."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas


class PageCountCanvas(Canvas):
    """Subclasses draw `footer(number, total)` on each page as it is written out."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, 1):
            self.__dict__.update(state)
            self.footer(number, total)
            Canvas.showPage(self)
        Canvas.save(self)

    def footer(self, number: int, total: int) -> None:
        raise NotImplementedError
