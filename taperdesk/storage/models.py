"""Peewee models mirroring the current schema (migrations create the tables; the
models never do). One `db` proxy, pointed by `open_database()` at the clinic file
(SQLite) or the clinic server (PostgreSQL, storage/backends/postgres.py). JSON columns
are plain TextFields: the repositories own encoding, so the bytes stored are
exactly the canonical text the core produced."""

from __future__ import annotations

from peewee import (
    BlobField,
    BooleanField,
    DatabaseProxy,
    DateField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    SqliteDatabase,
    TextField,
)

from taperdesk.storage.chain import stamp

class ClinicDatabase(DatabaseProxy):
    """The models' database: whichever clinic is open. Setting an attribute sets
    it on that database (a test counting queries patches `db.execute_sql`)."""

    __slots__ = ()

    def __setattr__(self, attr, value):
        if attr in DatabaseProxy.__slots__:
            return object.__setattr__(self, attr, value)
        return setattr(self.obj, attr, value)

    def __delattr__(self, attr):
        return delattr(self.obj, attr)


db = ClinicDatabase()
db.initialize(SqliteDatabase(None))  # until a clinic is opened


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class ChainedModel(BaseModel):
    """A clinical, append-only table: each row is inserted with its id and chain
    hash set in the same transaction (storage.chain; checked by storage.verify)."""

    chain_hash = TextField(null=True)

    def save(self, force_insert=False, only=None):
        if force_insert or self._pk is None:
            stamp(self)
            force_insert = True
        return super().save(force_insert=force_insert, only=only)


class ClinicSettingsRow(BaseModel):
    name = TextField(default="")
    address = TextField(default="")
    phone = TextField(default="")
    prescribers = TextField(default="[]")
    letterhead = TextField(default="")
    paper_size = TextField(default="A4")
    stock = TextField(default="{}")
    default_pace = TextField(default="{}")
    equivalence_table = TextField(default="ashton")
    backup_keep = IntegerField(default=30)
    supervision = TextField(default="{}")
    calendar_names = IntegerField(default=0)  # schema 7; read and written by storage.paper_records
    supply_days = IntegerField(default=28)  # schema 7
    country = TextField(default="")  # schema 5
    emergency_number = TextField(default="")  # schema 5

    class Meta:
        table_name = "clinic_settings"


class ClinicianRow(BaseModel):
    name = TextField()
    name_key = TextField(unique=True)
    role = TextField()
    password_hash = BlobField()
    password_salt = BlobField()
    password_params = TextField()
    active = BooleanField(default=True)
    created_at = TextField()
    roles = TextField(default="")  # schema 11: 'administrator,prescriber' (core.roles)
    must_change_password = IntegerField(default=0)  # schema 11: 1 after a reset

    class Meta:
        table_name = "clinician"


class PatientRow(BaseModel):
    name = TextField()
    name_key = TextField(index=True)
    born = DateField()
    identifier = TextField()
    identifier_key = TextField(unique=True)
    phone = TextField(default="")
    notes = TextField(default="")
    archived = BooleanField(default=False)
    created_at = TextField()

    class Meta:
        table_name = "patient"


class PatientNameWordRow(BaseModel):
    patient = ForeignKeyField(PatientRow, backref="name_words")
    word = TextField()

    class Meta:
        table_name = "patient_name_word"


class PlanRow(BaseModel):
    patient = ForeignKeyField(PatientRow, backref="plans")
    drug = TextField()
    status = TextField(default="draft")
    created_at = TextField()
    created_by = ForeignKeyField(ClinicianRow)

    class Meta:
        table_name = "plan"


class PlanStatusEventRow(ChainedModel):
    plan = ForeignKeyField(PlanRow, backref="status_events")
    status = TextField()
    at = TextField()
    clinician = ForeignKeyField(ClinicianRow)
    reason = TextField(default="")

    class Meta:
        table_name = "plan_status_event"


class PlanRevisionRow(ChainedModel):
    plan = ForeignKeyField(PlanRow, backref="revisions")
    number = IntegerField()
    plan_json = TextField()
    settings_json = TextField()
    author = ForeignKeyField(ClinicianRow)
    created_at = TextField()
    reason = TextField(default="")

    class Meta:
        table_name = "plan_revision"


class SymptomEntryRow(ChainedModel):
    patient = ForeignKeyField(PatientRow, backref="symptom_entries")
    date = DateField()
    scale = TextField()
    items = TextField()
    total = IntegerField()
    entered_by = ForeignKeyField(ClinicianRow)
    entered_at = TextField()
    note = TextField(default="")
    supersedes = ForeignKeyField("self", null=True, unique=True)
    retracted = BooleanField(default=False)
    retraction_reason = TextField(default="")
    scale_version = IntegerField(default=1)
    series_value = IntegerField(null=True)

    class Meta:
        table_name = "symptom_entry"


class ScaleDefinitionRow(ChainedModel):
    key = TextField()
    version = IntegerField()
    definition = TextField()
    author = ForeignKeyField(ClinicianRow)
    created_at = TextField()

    class Meta:
        table_name = "scale_definition"


class HandoutRow(ChainedModel):
    revision = ForeignKeyField(PlanRevisionRow, backref="handouts")
    kind = TextField()
    created_at = TextField()
    created_by = ForeignKeyField(ClinicianRow, null=True)
    sha256 = TextField()
    pdf = BlobField()

    class Meta:
        table_name = "handout"


class OtherMedicineRow(ChainedModel):
    """Schema 13: a medicine, sedating substance or alcohol use besides the taper; a
    change or stop is a new row superseding the one before (storage.other_medicines)."""

    patient = ForeignKeyField(PatientRow, backref="other_medicines")
    kind = TextField()
    name = TextField()
    dose = TextField(default="")
    since = DateField(null=True)
    stopped = DateField(null=True)
    units_week = FloatField(null=True)
    note = TextField(default="")
    supersedes = ForeignKeyField("self", null=True, unique=True)
    author = ForeignKeyField(ClinicianRow)
    created_at = TextField()

    class Meta:
        table_name = "other_medicine"


class AuditEventRow(ChainedModel):
    at = TextField()
    clinician = ForeignKeyField(ClinicianRow, null=True)
    action = TextField()
    entity = TextField()
    entity_id = IntegerField(null=True)
    summary = TextField()

    class Meta:
        table_name = "audit_event"


class PatientAttentionRow(BaseModel):
    """Derived, not clinical: see storage/attention.py (replaced, never edited by hand)."""

    patient = ForeignKeyField(PatientRow, primary_key=True)
    as_of = TextField()
    valid_until = TextField()
    reasons = TextField(default="[]")
    evidence = TextField(default="[]")
    plan_id = IntegerField(null=True)
    status = TextField(null=True)
    drug = TextField(null=True)
    next_change = TextField(null=True)
    change_words = TextField(default="[]")
    change_dose = TextField(default="")
    last_day = TextField(null=True)
    paused_since = TextField(null=True)
    last_review = TextField(null=True)
    plan_start = TextField(null=True)

    class Meta:
        table_name = "patient_attention"


class HoldDelegationRow(BaseModel):
    """Schema 11, append-only: nurses may hold this plan for at most max_days (0: withdrawn)."""

    plan = ForeignKeyField(PlanRow)
    max_days = IntegerField()
    author = ForeignKeyField(ClinicianRow)
    created_at = TextField()

    class Meta:
        table_name = "hold_delegation"


class PatientLockRow(BaseModel):
    """Schema 12: the patient open for editing on a workstation (storage.patient_locks)."""

    patient = ForeignKeyField(PatientRow, primary_key=True)
    clinician = ForeignKeyField(ClinicianRow)
    workstation = TextField()
    session = TextField(index=True)
    since = TextField()
    heartbeat = TextField()

    class Meta:
        table_name = "patient_lock"


class AttentionRollRow(BaseModel):
    day = TextField()

    class Meta:
        table_name = "attention_roll"


ALL_MODELS = (
    ClinicSettingsRow,
    ClinicianRow,
    PatientRow,
    PatientNameWordRow,
    PlanRow,
    PlanStatusEventRow,
    PlanRevisionRow,
    SymptomEntryRow,
    ScaleDefinitionRow,
    HandoutRow,
    AuditEventRow,
    PatientAttentionRow,
    AttentionRollRow,
    HoldDelegationRow,
    PatientLockRow,
)
