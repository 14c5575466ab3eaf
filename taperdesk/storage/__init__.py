"""The clinic database: one SQLite file through peewee. Everything the UI, export
and CLI may do with stored data is a function re-exported here (keyword-only
arguments, plain frozen records back); nothing outside this package builds a query."""

from taperdesk.storage.attention import Attention
from taperdesk.storage.attention import differences as attention_differences
from taperdesk.storage.attention import reasons_for as attention_reasons
from taperdesk.storage.attention import pending_roll as attention_roll_pending
from taperdesk.storage.attention import roll as roll_attention
from taperdesk.storage.attention import roll_in_worker as roll_attention_in_worker
from taperdesk.storage.audit import acting_as, audit_events, patient_audit_events
from taperdesk.storage.day_list import DayListItem, DayListOpening, DayListRules
from taperdesk.storage.day_list import counts as day_list_counts
from taperdesk.storage.day_list import items as day_list_items
from taperdesk.storage.day_list import opening as day_list_opening
from taperdesk.storage.backup import list_backups, restore_backup
from taperdesk.storage.clinic import flare_rule, get_clinic_settings, save_clinic_settings
from taperdesk.storage.clinicians import (
    add_clinician,
    change_password,
    get_clinician,
    has_clinicians,
    list_clinicians,
    reset_password,
    set_clinician_active,
    set_roles,
    verify_password,
)
from taperdesk.storage.connection import OpenDatabase, close_database, open_database
from taperdesk.storage.delegations import HoldDelegation, hold_delegation, set_hold_delegation
from taperdesk.storage.disclosures import record_export
from taperdesk.storage.errors import (
    AlreadyOpenError,
    ClinicFileChangedError,
    CorruptFileError,
    NewerFileError,
    NoClinicFileError,
    NotADatabaseError,
    ReadOnlyLocationError,
    SignInThrottledError,
    StorageError,
)
from taperdesk.storage.files import write_private
from taperdesk.storage.handouts import handout_pdf, handouts_for_revision, record_handout
from taperdesk.storage.history import patient_history
from taperdesk.storage.maintenance import backup_now
from taperdesk.storage.patients import (
    add_patient,
    find_patient_by_identifier,
    get_patient,
    same_name_and_birth,
    search_patients,
    set_patient_archived,
    update_patient,
)
from taperdesk.storage.other_medicines import (
    OtherMedicineRecord,
    OtherMedicines,
    change_other_medicine,
    other_medicines,
    record_other_medicine,
    set_alcohol_units,
    stop_other_medicine,
)
from taperdesk.storage.paper_records import (
    PaperSettings,
    PlanPaper,
    paper_settings,
    plan_paper,
    save_paper_settings,
    review_date,
    set_plan_paper,
    set_review_date,
)
from taperdesk.storage.paths import ServerAddress, default_db_path, is_server, resolve_db_path
from taperdesk.storage.plans import (
    create_plan,
    current_plans,
    get_plan,
    latest_revision,
    plan_history,
    plans_for_patient,
    revisions,
    save_revision,
    set_plan_status,
    status_events,
)
from taperdesk.storage.records import (
    AuditEvent,
    Clinician,
    ClinicSettings,
    Handout,
    Patient,
    PatientHistory,
    PlanHistory,
    PlanRecord,
    Revision,
    StatusEvent,
    SymptomEntry,
)
from taperdesk.storage.support import (
    SupportAgreed,
    agree_support,
    save_support_options,
    support_agreed,
    support_history,
    support_list_history,
    support_options,
)
from taperdesk.storage.scales import save_scale_definition, scale_definition, scale_definitions, scale_versions
from taperdesk.storage.symptoms import (
    add_symptom_entry,
    correct_symptom_entry,
    last_reviews,
    recent_falls,
    recent_observations,
    retract_symptom_entry,
    symptom_days,
    symptom_entries,
)

import types as _types

__all__ = [n for n, v in dict(globals()).items() if not n.startswith("_") and not isinstance(v, _types.ModuleType)]

# The demo clinic and portable patient files pull in the whole planner; they are
# loaded on first use so that opening the app does not pay for them.
_LAZY = {"DemoClinic": "demo", "make_demo": "demo", "export_patient": "portable", "import_patient": "portable"}
__all__ += list(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"taperdesk.storage.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'taperdesk.storage' has no attribute {name!r}")
