"""The plan calendar: a month view of a plan with the day's doses in words.

    from taperdesk.ui.calendar import PlanCalendar
"""

from taperdesk.ui.calendar.days import MARKS, CellInfo
from taperdesk.ui.calendar.widget import PlanCalendar

__all__ = ["MARKS", "CellInfo", "PlanCalendar"]
