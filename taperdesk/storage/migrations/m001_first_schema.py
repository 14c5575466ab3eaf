"""Schema 1, frozen as SQL text: the first clinic file layout. It must never
change once released (files made by it exist); later changes are new migrations.
Append-only tables get triggers so history cannot be edited even by mistake or
by a hand-run UPDATE. The text is SQLite's; on a clinic server the backend
(storage/backends/postgres.py) words the ids, blobs and triggers its way."""

from __future__ import annotations

from taperdesk.storage import backends
from taperdesk.storage.backends import sqlite

APPLICATION_ID = 0x54445331  # "TDS1": marks a SQLite file as a TaperDesk clinic file

STATUSES = "('draft','active','paused','completed','stopped')"

TABLES = f"""
CREATE TABLE clinic_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    prescribers TEXT NOT NULL DEFAULT '[]',
    letterhead TEXT NOT NULL DEFAULT '',
    paper_size TEXT NOT NULL DEFAULT 'A4' CHECK (paper_size IN ('A4', 'Letter')),
    stock TEXT NOT NULL DEFAULT '{{}}',
    default_pace TEXT NOT NULL DEFAULT '{{}}',
    equivalence_table TEXT NOT NULL DEFAULT 'ashton'
);
INSERT INTO clinic_settings (id) VALUES (1);

CREATE TABLE clinician (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('clinician', 'staff')),
    password_hash BLOB NOT NULL,
    password_salt BLOB NOT NULL,
    password_params TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE patient (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    born TEXT NOT NULL,
    identifier TEXT NOT NULL,
    identifier_key TEXT NOT NULL UNIQUE,
    phone TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX patient_name_key ON patient (name_key);

CREATE TABLE patient_name_word (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    word TEXT NOT NULL
);
CREATE INDEX patient_name_word_word ON patient_name_word (word, patient_id);
CREATE INDEX patient_name_word_patient ON patient_name_word (patient_id);

CREATE TABLE plan (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    drug TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN {STATUSES}),
    created_at TEXT NOT NULL,
    created_by_id INTEGER NOT NULL REFERENCES clinician (id)
);
CREATE INDEX plan_patient ON plan (patient_id);

CREATE TABLE plan_status_event (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan (id),
    status TEXT NOT NULL CHECK (status IN {STATUSES}),
    at TEXT NOT NULL,
    clinician_id INTEGER NOT NULL REFERENCES clinician (id),
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_status_event_plan ON plan_status_event (plan_id);

CREATE TABLE plan_revision (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan (id),
    number INTEGER NOT NULL CHECK (number >= 1),
    plan_json TEXT NOT NULL,
    settings_json TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES clinician (id),
    created_at TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    UNIQUE (plan_id, number)
);

CREATE TABLE symptom_entry (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    date TEXT NOT NULL,
    scale TEXT NOT NULL,
    items TEXT NOT NULL,
    total INTEGER NOT NULL,
    entered_by_id INTEGER NOT NULL REFERENCES clinician (id),
    entered_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    supersedes_id INTEGER UNIQUE REFERENCES symptom_entry (id),
    retracted INTEGER NOT NULL DEFAULT 0,
    retraction_reason TEXT NOT NULL DEFAULT '',
    CHECK (retracted = 0 OR (supersedes_id IS NOT NULL AND retraction_reason <> ''))
);
CREATE INDEX symptom_entry_patient_date ON symptom_entry (patient_id, date);

CREATE TABLE handout (
    id INTEGER PRIMARY KEY,
    revision_id INTEGER NOT NULL REFERENCES plan_revision (id),
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by_id INTEGER REFERENCES clinician (id),
    sha256 TEXT NOT NULL,
    pdf BLOB NOT NULL
);
CREATE INDEX handout_revision ON handout (revision_id);

CREATE TABLE audit_event (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    clinician_id INTEGER REFERENCES clinician (id),
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    summary TEXT NOT NULL
);
CREATE INDEX audit_event_entity ON audit_event (entity, entity_id);
"""

APPEND_ONLY = ("audit_event", "plan_revision", "plan_status_event", "symptom_entry", "handout")


def _triggers(backend=sqlite) -> list[str]:
    return backend.append_only_triggers(APPEND_ONLY)


def statements(backend=sqlite) -> list[str]:
    ddl = [backend.table_sql(s.strip()) for s in TABLES.split(";") if s.strip()]
    return backend.functions() + ddl + _triggers(backend)


def up(database) -> None:
    backend = backends.of(database)
    for sql in statements(backend):
        database.execute_sql(sql)
    backend.mark_clinic(database, APPLICATION_ID)
