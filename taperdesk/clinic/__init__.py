"""The clinic's operations, shared by both front ends (the app and the command
line): keyword-only, no Qt. Each checks what it is given before anything is
written and writes through storage in one transaction; papers are built here
from stored records and handed to export. (architecture.md, "Layers")"""
