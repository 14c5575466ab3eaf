"""The Symptoms tab and its parts: scale entry dialogs, the quick daily rating,
the entries table. The plot lives in `plot` and is imported by the tab."""

from taperdesk.ui.symptoms.entries_table import EntriesModel, RetractDialog
from taperdesk.ui.symptoms.entry_dialog import ScaleEntryDialog
from taperdesk.ui.symptoms.quick_row import QuickDailyRow
from taperdesk.ui.symptoms.tab import SymptomsTab

__all__ = ["EntriesModel", "QuickDailyRow", "RetractDialog", "ScaleEntryDialog", "SymptomsTab"]
