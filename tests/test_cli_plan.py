"""`taperdesk plan`: the JSON contract, readable output, and one clear line for bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from taperdesk.app import main
from taperdesk.core.catalogue import load_catalogue
from taperdesk.core.rules import check_plan

BASE = ["plan", "--start", "2026-12-01"]


def run(capsys, *args):
    code = main([*BASE, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_the_contract(capsys):
    code, out, err = run(capsys, "--drug", "lorazepam", "--dose", "morning=1", "--dose", "night=1", "--crossover")
    assert code == 0 and err == ""
    plan = json.loads(out)
    for key in ("drug", "method", "crossover_to", "start", "interval_days", "max_cut_percent",
                "end_phase_eq_mg", "end_step_eq_mg", "equivalence_table", "steps", "warnings", "sources"):
        assert key in plan
    assert plan["crossover_to"] == "diazepam" and plan["steps"][0]["kind"] == "crossover"
    assert plan["steps"][-1]["kind"] == "stop"
    assert check_plan(plan) == []
    step = plan["steps"][0]
    assert set(step) >= {"index", "start", "end", "kind", "doses", "daily_mg", "diazepam_eq_mg"}
    assert step["daily_mg"] == {"lorazepam": 1.0, "diazepam": 10.0}


def test_table_spells_the_tablets(capsys):
    code, out, _ = run(capsys, "--drug", "diazepam", "--dose", "night=9", "--format", "table")
    assert code == 0
    assert "1 x 5 mg + 2 x 2 mg" in out and "stop" in out and "Sources:" in out


def test_csv_has_one_row_per_day(capsys):
    code, out, _ = run(capsys, "--drug", "diazepam", "--dose", "night=5", "--format", "csv")
    rows = out.strip().splitlines()
    plan = json.loads(subprocess.run([sys.executable, "-m", "taperdesk", *BASE, "--drug", "diazepam", "--dose", "night=5"],
                                     capture_output=True, text=True, check=True).stdout)
    from datetime import date
    days = (date.fromisoformat(plan["steps"][-1]["end"]) - date.fromisoformat(plan["start"])).days + 1
    assert code == 0 and len(rows) == days + 1
    assert rows[1].startswith("2026-12-01,0,start")


@pytest.mark.parametrize("drug", [d.name for d in load_catalogue().drugs])
def test_every_drug_in_the_catalogue_plans_or_says_why(capsys, drug):
    catalogue = load_catalogue()
    strengths = catalogue.solid_strengths(drug)
    dose = strengths[0] if strengths else 1
    code, out, err = run(capsys, "--drug", drug, "--dose", f"night={dose}")
    if catalogue.formulations_for(drug):
        assert code == 0, err
        assert check_plan(json.loads(out)) == []
    else:
        assert code == 2 and "catalogue lists no" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--drug", "lorazepan", "--dose", "night=1"], "did you mean: lorazepam"),
        (["--drug", "diazepam", "--dose", "night=0"], "more than 0 mg"),
        (["--drug", "diazepam", "--dose", "night=-5"], "more than 0 mg"),
        (["--drug", "diazepam", "--dose", "bedtime=5"], "unknown time of day 'bedtime'"),
        (["--drug", "diazepam", "--dose", "night5"], "write TIME=MG"),
        (["--drug", "diazepam", "--dose", "night=5", "--cut-percent", "0"], "more than 0 and less than 100"),
        (["--drug", "diazepam", "--dose", "night=5", "--cut-percent", "150"], "more than 0 and less than 100"),
        (["--drug", "diazepam", "--dose", "night=5", "--interval-days", "0"], "1 or more"),
        (["--drug", "diazepam", "--dose", "night=5", "--target-mg", "5"], "at or above the current dose"),
        (["--drug", "diazepam", "--dose", "night=5", "--start", "2026-13-01"], "there is no month 13"),
        (["--drug", "diazepam", "--dose", "night=5", "--stock", "3"], "no 3 mg tablet or capsule of diazepam"),
        (["--drug", "diazepam", "--dose", "night=7", "--stock", "10", "--split", "none"], "cannot be made from the stock"),
        (["--drug", "diazepam", "--dose", "night=10", "--cut-percent", "20", "--interval-days", "7"], "--allow-fast"),
        (["--drug", "nitrazepam", "--dose", "night=5", "--table", "vadod"], "VA/DoD"),
        (["--drug", "diazepam", "--dose", "night=5", "--table", "nice"], "unknown equivalence table"),
        (["--drug", "diazepam", "--dose", "night=5", "--method", "fixed", "--cut-mg", "1", "--cut-percent", "5"], "not both"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_no_traceback_from_a_real_process():
    result = subprocess.run([sys.executable, "-m", "taperdesk", "plan", "--drug", "xanax", "--dose", "night=1"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
