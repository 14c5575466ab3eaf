"""TaperDesk: supervised benzodiazepine tapering for small clinics."""

__version__ = "0.1.0"
