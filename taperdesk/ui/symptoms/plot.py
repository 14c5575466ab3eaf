"""The symptom–dose plot: how symptoms moved with each dose change.

Stacked rows that share one time axis (x-linked): on top the diazepam-
equivalent daily dose as a step curve with every dose change marked (▼, as on
the calendar) and every hold shaded; below it one row per scale, each on its
own axis in its own units (a daily rating 0–10, CIWA-B 0–80), with a banded
scale's bands shaded in that row only. So no score is ever drawn inside
another scale's bands, and no axis needs a percentage to be read. The legend
sits above the rows, outside the data, and doubles as the row toggles.

The dose curve comes from the patient's course (plot_data.dose_curve, from
taperdesk.core.in_force), so a paused or ended plan shows no cut it will not
make. The default view runs from the plan's start to eight weeks past today
(a new patient's first weeks are not squeezed against the whole plan); "Reset
view" comes back to it. The widget takes plain data (a course or plan and
`Series` of (day, score)) and knows nothing of storage.

Speed: a series is one PlotDataItem fed numpy arrays (clipped to the view,
downsampled to the pixels), the changes one ScatterPlotItem; nothing is drawn
per point. Symbols and dashes appear when the points in view are far enough
apart to be told apart; a dense series is a thin plain line, which paints fast.

Its parts: plot_rows (the rows and a scale's series), plot_dose (the dose curve
and its markers), plot_pointer (hover and click), plot_data (the numbers),
plot_parts (styles, axes, icons). This module lays them out and keeps the view."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

import pyqtgraph as pg  # after PySide6, so pyqtgraph binds to it

from taperdesk.core.in_force import InForce
from taperdesk.core.plan import Plan
from taperdesk.ui.symptoms.plot_data import DAY_SECONDS, as_course, day_x, home_days, x_day
from taperdesk.ui.symptoms.plot_dose import DoseMarks
from taperdesk.ui.symptoms.plot_parts import STYLES, TEXT, ClickViewBox, legend_icon, swatch, with_mnemonic
from taperdesk.ui.symptoms.plot_pointer import PointerMixin
from taperdesk.ui.symptoms.plot_rows import ScaleRow, Series, plot_widget

__all__ = ["Series", "SymptomPlot", "day_x", "x_day", "DAY_SECONDS"]

SYMBOL_SPACING_PX = 6  # symbols shown when the points in view are this far apart
CUT_SPACING_PX = 12  # change markers shown when those in view are this far apart


class SymptomPlot(PointerMixin, QWidget):
    """Dose and symptoms against time. Feed it with `set_data`."""

    dateClicked = Signal(object)  # datetime.date

    def __init__(self, parent=None, *, today: date | None = None):
        super().__init__(parent)
        self.today = today or date.today()
        self._given: Plan | InForce | None = None
        self._course: InForce | None = None
        self._drawn: dict[str, ScaleRow] = {}
        self._kept: dict[tuple, ScaleRow] = {}  # rows not shown now, ready for the next patient with them
        self._signature: tuple = ()
        self._hidden: set[str] = set()
        self._home: tuple | None = None
        self._at_home = True

        # -- the legend, outside the data: what each row draws, and its toggle -----
        self._legend = QHBoxLayout()
        self._legend.setContentsMargins(0, 0, 0, 0)
        self.legend_labels: dict[str, QLabel] = {}
        for key, icon, text in (("dose", legend_icon("dose"), "diazepam-eq dose"),
                                ("change", legend_icon("change"), "dose changes")):
            label = QLabel()
            label.setPixmap(icon)
            words = QLabel(text)
            self._legend.addWidget(label)
            self._legend.addWidget(words)
            self.legend_labels[key] = words
        self.holds_box = QCheckBox("hold (same dose kept)")
        self.holds_box.setIcon(legend_icon("hold"))
        self.holds_box.setChecked(True)
        self.holds_box.toggled.connect(self._apply_hold_visibility)
        self._legend.addWidget(self.holds_box)
        self._legend.addStretch(1)
        self.reset_button = QPushButton("&Reset view")
        self.reset_button.setToolTip("Back to the plan's start to eight weeks past today (zoom: wheel; pan: drag)")
        self.reset_button.clicked.connect(self.reset_view)
        self._legend.addWidget(self.reset_button)
        # a scale's own items drawn as rows of their own (the daily rating's side
        # effects, keys "daily:falls") get a second legend line, so the first keeps its width
        self._items_legend = QHBoxLayout()
        self._items_legend.setContentsMargins(0, 0, 0, 0)
        self.items_label = QLabel("Side effects:")
        self._items_legend.addWidget(self.items_label)
        self._items_legend.addStretch(1)

        # -- the dose row --------------------------------------------------------
        self.dose_view = ClickViewBox(enableMenu=False)
        self.graphics = plot_widget(self.dose_view, "mg eq/day")
        self.graphics.setAccessibleName("dose plot")
        self.graphics.setMinimumHeight(80)
        self.dose_view.setLimits(minXRange=7 * DAY_SECONDS)
        self.dose_view.sigRangeChangedManually.connect(self._on_user_range)
        self.dose_view.sigXRangeChanged.connect(self._on_x_range)
        self.dose = DoseMarks(self.dose_view)
        self.dose_curve, self.cut_markers = self.dose.curve, self.dose.cut_markers
        self.cut_markers.sigClicked.connect(self._on_points_clicked)
        self.hover_line = pg.InfiniteLine(angle=90, movable=False,
                                          pen=pg.mkPen("#888888", width=1, style=Qt.PenStyle.DashLine))
        self.hover_label = pg.TextItem(color=TEXT, fill=pg.mkBrush(255, 255, 255, 235), border=pg.mkPen("#999999"))
        for item in (self.hover_line, self.hover_label):
            item.setZValue(50)
            item.hide()
            self.dose_view.addItem(item, ignoreBounds=True)
        self._watch(self.graphics, self.dose_view)

        self._rows = QVBoxLayout()
        self._rows.setContentsMargins(0, 0, 0, 0)
        self._rows.setSpacing(2)
        self._rows.addWidget(self.graphics, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._legend)
        layout.addLayout(self._items_legend)
        layout.addLayout(self._rows, 1)
        self.set_data(None, [])

    # -- feeding -------------------------------------------------------------------
    def set_today(self, today: date) -> None:
        self.today = today

    def set_data(self, plan: Plan | InForce | None, series: list[Series]) -> None:
        """Redraw everything. The view is reset only when the span of the data
        changed (adding a score inside the view keeps the user's zoom)."""
        if plan is not self._given or self._course is None:
            self._given, self._course = plan, as_course(plan)
        signature = tuple((s.key, s.title, s.low, s.high) for s in series)
        if signature != self._signature:
            self._rebuild_series(series)
            self._signature = signature
        for s in series:
            self._drawn[s.key].fill(s)
        self._place_band_labels()
        score_days = sorted(x_day(float(d.x[i])) for d in self._drawn.values() for i in (0, -1) if len(d.x))
        first, last = home_days(self._course, score_days, self.today)
        # a dose that continues is drawn a year past the view, so panning on shows it going on
        until = max(last, score_days[-1] if score_days else last) + timedelta(days=365)
        curve = self.dose.draw(self._course, until=until, holds_visible=self.holds_box.isChecked())
        top = max([1.0, *curve.y])
        home = ((day_x(first) - DAY_SECONDS, day_x(last) + 2 * DAY_SECONDS), top)
        if home != self._home:
            self._home = home
            self.reset_view()
        else:
            self._update_symbols()
        self._settle()

    def _settle(self) -> None:
        """Bring each row's view transform up to date now, and ask for each row's
        whole scene to be repainted. pyqtgraph updates a transform as the row
        begins to paint, which changed the items again and painted every row a
        second time; and Qt repaints the window at once for each scene whose items
        changed (one pass per row, the entries table in the first), whereas a
        whole-scene update waits for the event loop, so the rows paint together."""
        for view in (self.dose_view, *(d.view for d in self._drawn.values())):
            view.prepareForPaint()
        for row in self.rows():
            row.scene().update()

    def _rebuild_series(self, series: list[Series]) -> None:
        """One row per series, in order. A row is kept aside when a patient without
        that scale is shown and taken back for the next who has it: building a row
        (a PlotWidget, its axes, view and bands) cost more than drawing ten years."""
        for d in self._drawn.values():
            self._rows.removeWidget(d.graphics)
            d.graphics.setVisible(False)
            (self._items_legend if ":" in d.series.key else self._legend).removeWidget(d.box)
            d.box.setVisible(False)
            self._kept[self._row_key(d.series, d.style)] = d
        self._drawn = {}
        used = {"r"}  # Reset view
        for i, s in enumerate(series):
            if s.key in self._drawn:
                raise ValueError(f"two series with the key {s.key!r}")
            style = STYLES[i % len(STYLES)]
            row = self._kept.pop(self._row_key(s, style), None)
            if row is None:
                box = QCheckBox()
                box.setIcon(swatch(style))
                box.setToolTip(f"Show the {s.title} row")
                row = ScaleRow.build(s, style, box, self.dose_view)
                row.item.sigPointsClicked.connect(self._on_points_clicked)
                self._watch(row.graphics, row.view)
                box.setChecked(s.key not in self._hidden)
                box.toggled.connect(lambda on, key=s.key: self.set_series_visible(key, on))
            self._drawn[s.key] = row
            row.box.setText(with_mnemonic(f"{s.title} ({s.low}–{s.high})", used))
            row.box.setChecked(s.key not in self._hidden)
            row.box.setVisible(True)
            if ":" in s.key:  # a scale's item (a side effect): on the second legend line
                self._items_legend.insertWidget(self._items_legend.count() - 1, row.box)
            else:
                self._legend.insertWidget(self._legend.count() - 2, row.box)
            self._rows.addWidget(row.graphics, 2)
            row.graphics.setVisible(s.key not in self._hidden)
        self.items_label.setVisible(any(":" in key for key in self._drawn))
        # only the bottom row labels the dates: the rows above share them
        rows = self.rows()
        for row in rows:
            row.getPlotItem().getAxis("bottom").setStyle(showValues=row is rows[-1])

    @staticmethod
    def _row_key(series: Series, style: tuple) -> tuple:
        return series.key, series.title, series.low, series.high, style

    # -- view ----------------------------------------------------------------------
    def reset_view(self) -> None:
        """From the plan's start to eight weeks past today, the dose from 0."""
        if self._home is None:
            return
        (x0, x1), top = self._home
        self.dose_view.setXRange(x0, x1, padding=0)
        self.dose_view.setYRange(-0.04 * top, top * 1.08, padding=0)
        self._at_home = True
        self._update_symbols()

    def home_range(self) -> tuple[date, date]:
        """The first and last day of the default view."""
        (x0, x1), _ = self._home
        return x_day(x0 + DAY_SECONDS), x_day(x1 - 2 * DAY_SECONDS)

    def _on_user_range(self, *_):
        self._at_home = False

    def _on_x_range(self, *_):
        self._place_band_labels()
        self._update_symbols()

    def _place_band_labels(self) -> None:
        right = self.dose_view.viewRange()[0][1]
        for d in self._drawn.values():
            d.place_band_labels(right)

    def _update_symbols(self) -> None:
        (x0, x1), _ = self.dose_view.viewRange()
        width = max(self.dose_view.width(), 1.0)
        self.cut_markers.setOpacity(1.0 if self.dose.cuts_between(x0, x1) * CUT_SPACING_PX <= width else 0.0)
        for d in self._drawn.values():
            d.set_sparse(d.shown_between(x0, x1) * SYMBOL_SPACING_PX <= width)

    # -- visibility ----------------------------------------------------------------
    def set_series_visible(self, key: str, visible: bool) -> None:
        d = self._drawn[key]
        (self._hidden.discard if visible else self._hidden.add)(key)
        d.graphics.setVisible(visible)
        if d.box.isChecked() != visible:
            d.box.setChecked(visible)

    def series_visible(self, key: str) -> bool:
        return key not in self._hidden

    def _apply_hold_visibility(self) -> None:
        self.dose.show_holds(self.holds_box.isChecked())

    # -- reading back (tests, and anyone who wants the numbers) ---------------------
    def dose_curve_data(self) -> tuple[list[float], list[float]]:
        """x (epoch seconds: the first midnight of each run of one dose, then the
        day after the last) and y (diazepam-eq mg/day), as given to the step curve."""
        return self.dose.curve_data()

    def dose_on(self, day: date) -> float | None:
        """The dose the curve draws on `day`, or None where it draws nothing."""
        xs, ys = self.dose_curve_data()
        x = day_x(day)
        if not xs or x < xs[0] or x >= xs[-1]:
            return None
        return ys[bisect_right(xs, x) - 1]

    def series_data(self, key: str) -> tuple[list[float], list[float]]:
        """x (epoch seconds, the day's noon) and y (the score, in the scale's own units) as drawn."""
        d = self._drawn[key]
        return d.x.tolist(), d.raw.tolist()

    def marker_dates(self) -> dict[str, list[date]]:
        return self.dose.marker_dates()

    def legend_entries(self) -> list[str]:
        """The legend's words, left to right."""
        return ([self.legend_labels["dose"].text(), self.legend_labels["change"].text(),
                 self.holds_box.text().replace("&", "")]
                + [d.box.text().replace("&", "") for d in self._drawn.values()])

    def rows(self) -> list[pg.PlotWidget]:
        """The stacked rows, top to bottom: the dose, then each scale shown."""
        return [self.graphics] + [d.graphics for d in self._drawn.values()]
