"""A file name longer than the file system allows (the fuzz found one: exit 70,
"unexpected error") is refused in one line that says what to fix, for every
command that takes --db, and nothing is written."""

from __future__ import annotations

import pytest

from taperdesk.app import main

LONG = "9" * 300


@pytest.mark.parametrize("argv", [["verify", "--db", LONG, "--json"], ["backup", "--db", LONG],
                                  ["today", "--db", LONG]])
def test_a_too_long_clinic_file_name_is_one_line(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the name is too long for a file; give a shorter file name" in err, err
    assert list(tmp_path.iterdir()) == []
