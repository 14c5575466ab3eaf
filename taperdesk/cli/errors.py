class UsageError(Exception):
    """Bad input from the command line: shown as one line, exit status 2."""
