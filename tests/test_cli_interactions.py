"""`taperdesk plan --other-medicine NAME --alcohol-units N`: interaction warnings, each
with its source, in the plan's JSON warnings and in the table; bad units one line, exit 2."""

from __future__ import annotations

import json

import pytest

from taperdesk.app import main
from taperdesk.core.rules import check_plan

BASE = ["plan", "--start", "2026-12-01"]


def run(capsys, *args):
    code = main([*BASE, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_diazepam_with_oxycodone_and_20_units_in_the_json(capsys):
    code, out, err = run(capsys, "--drug", "diazepam", "--dose", "night=10", "--other-medicine", "oxycodone",
                         "--alcohol-units", "20")
    assert code == 0 and err == ""
    plan = json.loads(out)
    lines = [w for w in plan["warnings"] if w.startswith("Interaction:")]
    assert lines == [
        "Interaction: oxycodone (opioids) with diazepam. Taken together, opioids and benzodiazepines may cause "
        "profound sedation, respiratory depression, coma and death. What to do: Keep both only if other treatments "
        "are inadequate, at the lowest doses for the shortest time, and watch for slowed breathing and sedation; "
        "consider naloxone and tell the patient and carers the signs. Source: FDA boxed warning on benzodiazepines "
        "and opioids (FDA Drug Safety Communication, 31 August 2016); benzodiazepine US labels, boxed warning.",
        "Interaction: alcohol, 20 units a week with diazepam. Alcohol adds to the sedation and breathing depression "
        "of benzodiazepines and Z-drugs, and mixing them is common in serious overdoses. What to do: Advise no "
        "alcohol while the drug is taken; ask about drinking at every review. Source: Valium (diazepam) US label: "
        "patients should be advised against taking alcohol and other CNS depressants with it; benzodiazepine boxed "
        "warning (2020): misuse commonly involves alcohol; Ashton Manual, message of January 2007, point 2.",
    ]
    assert any("FDA Drug Safety Communication, 31 August 2016" in s for s in plan["sources"])
    assert check_plan(plan) == []


def test_alprazolam_with_clarithromycin_gets_the_cyp3a4_warning_through_a_crossover(capsys):
    code, out, _ = run(capsys, "--drug", "alprazolam", "--dose", "morning=0.5", "--dose", "night=0.5",
                       "--crossover", "--other-medicine", "Klaricid 500 mg")
    assert code == 0
    [line] = [w for w in json.loads(out)["warnings"] if w.startswith("Interaction:")]
    assert line.startswith("Interaction: Klaricid 500 mg (strong CYP3A4 inhibitors) with alprazolam. A strong CYP3A4")
    assert "Source: Alprazolam (Xanax) label" in line


def test_the_table_says_what_was_checked(capsys):
    code, out, _ = run(capsys, "--drug", "diazepam", "--dose", "night=10", "--other-medicine", "paracetamol",
                       "--alcohol-units", "0", "--format", "table")
    assert code == 0
    assert out.endswith("Interactions: No interactions found with the medicines recorded "
                        "(paracetamol, alcohol 0 units a week).\n")
    code, out, _ = run(capsys, "--drug", "diazepam", "--dose", "night=10", "--other-medicine", "tramadol",
                       "--format", "table")
    assert "  - Interaction: tramadol (opioids) with diazepam." in out
    assert out.endswith("Interactions: 1 interaction warning with the medicines recorded.\n")


def test_without_other_medicines_the_plan_is_unchanged(capsys):
    _, plain, _ = run(capsys, "--drug", "diazepam", "--dose", "night=10")
    assert not any(w.startswith("Interaction:") for w in json.loads(plain)["warnings"])


@pytest.mark.parametrize("units, message", [
    ("abc", "give a number of units a week"), ("-2", "from 0 to 500"), ("nan", "from 0 to 500"),
    ("1e400", "from 0 to 500"), ("600", "from 0 to 500"),
])
def test_bad_units_are_one_line_and_exit_2(capsys, units, message):
    code, out, err = run(capsys, "--drug", "diazepam", "--dose", "night=10", "--alcohol-units", units)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1 and err.startswith("taperdesk: ")
