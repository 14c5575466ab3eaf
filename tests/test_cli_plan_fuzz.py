"""`taperdesk plan` fuzzed in-process: thousands of argument lists (bad numbers,
dates, flags, huge and tiny doses), never a traceback; bad input is exit 2 with
one line saying what to fix, in well under a second."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import taperdesk.cli.plan as plan_command
from taperdesk.cli import _Parser, run_command
from taperdesk.cli.errors import UsageError
from taperdesk.core.rules import check_plan
from taperdesk.core.regimen import TIMES
from tests.conftest import examples  # quick by default, long under `make soak`

DRUGS = ["diazepam", "lorazepam", "alprazolam", "clonazepam", "zolpidem", "temazepam", "oxazepam", "nitrazepam",
         "zopiclone", "chlordiazepoxide", "triazolam", "xanax", ""]
NUMBERS = st.one_of(
    st.sampled_from(["inf", "-inf", "nan", "1e308", "-1e308", "1e-300", "0", "-1", "1e6", "1000000", "abc", "", "0x10",
                     "10", "2.5", "0.5", "1", "5", "20", "99.9", "100", "7"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**6, 10**6).map(str),
)
DATES = st.one_of(st.sampled_from(["2026-01-05", "2101-01-01", "1999-12-31", "9999-12-31", "2026-02-30", "tomorrow",
                                   "2100-12-31", "2000-01-01", ""]), st.dates().map(str))


@st.composite
def plan_args(draw) -> list[str]:
    args = ["plan", "--drug", draw(st.sampled_from(DRUGS))]
    for time_ in draw(st.lists(st.sampled_from([*TIMES, "bedtime", ""]), min_size=0, max_size=4)):
        args += ["--dose", f"{time_}={draw(NUMBERS)}"]
    options = {
        "--method": st.sampled_from(["proportional", "fixed", "stepwise", "hyper"]),
        "--cut-percent": NUMBERS, "--cut-mg": NUMBERS, "--max-cut-percent": NUMBERS,
        "--interval-days": NUMBERS, "--crossover-days": NUMBERS, "--target-mg": NUMBERS,
        "--start": DATES, "--stock": st.sampled_from(["2,5,10", "3", "1e308", "inf", "-1", "0.5", "", "2,,5"]),
        "--split": st.sampled_from(["none", "half", "quarter", "third"]),
        "--market": st.sampled_from(["US", "UK", "FR"]), "--table": st.sampled_from(["ashton", "vadod", "nice"]),
        "--cut-order": st.sampled_from(["even", "morning,night", "night", "morning,morning", "noon", "", ","]),
        "--final-dose-mg": NUMBERS, "--end-band": st.sampled_from(["default", "nice", "fast"]),
        "--keep-longest": st.sampled_from([*TIMES, "noon"]),
        "--alcohol-units": NUMBERS,
        "--other-medicine": st.sampled_from(["oxycodone", "OxyContin 10 mg", "clarithromycin", "", " ", "x" * 300,
                                             "paracetamol", "cipro", "é中"]), "--format": st.sampled_from(["json", "table", "csv", "xml"]),
    }
    for flag in draw(st.lists(st.sampled_from(sorted(options)), max_size=5, unique=True)):
        args += [flag, draw(options[flag])]
    for flag in draw(st.lists(st.sampled_from(["--crossover", "--liquid", "--allow-fast", "--confirm-high-dose"]),
                              max_size=4, unique=True)):
        args.append(flag)
    return args


_PARSER = _Parser(prog="taperdesk")
plan_command.add_parser(_PARSER.add_subparsers(dest="command", parser_class=_Parser), "plan")


def _entry(args: list[str]) -> int:
    """`run_command` for the plan command alone, its parser built once (the fuzz runs thousands)."""
    try:
        return plan_command.run(_PARSER.parse_args(args))
    except UsageError as exc:
        print(f"taperdesk: {exc}", file=sys.stderr)
        return 2


def _run(args: list[str], entry=_entry) -> tuple[int, str, str, float]:
    out, err = io.StringIO(), io.StringIO()
    t0 = time.process_time()  # this process's own CPU time: other jobs on the shared cores do not count
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = entry(args)
    return code, out.getvalue(), err.getvalue(), time.process_time() - t0


@pytest.fixture(scope="module", autouse=True)
def warmed_up():
    """The command's one-time loading (its modules, the drug tables, the guidance
    sources: about 0.5 s of CPU on the first plan in a process) is not what the
    time bound below is about: each input's own work is."""
    for args in (["plan", "--drug", "diazepam", "--dose", "night=10"],
                 ["plan", "--drug", "alprazolam", "--dose", "morning=20", "--crossover", "--liquid",
                  "--allow-fast", "--confirm-high-dose"]):
        _run(args)


@settings(max_examples=examples(800, 20000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_args())
def test_plan_never_tracebacks(args):
    code, out, err, seconds = _run(args)
    assert code in (0, 2), (args, code, err)
    if code == 2:
        assert out == "" and err.startswith("taperdesk: ") and err.count("\n") == 1, (args, err)
        assert "Traceback" not in err
        assert seconds < 0.5, (args, seconds)  # well under a second (CPU time; typically < 0.05 s)
    elif "--format" not in args or args[args.index("--format") + 1] == "json":
        assert check_plan(json.loads(out)) == [], args


@pytest.mark.parametrize("extra, message", [
    (["--dose", "night=inf"], "ordinary number"),
    (["--dose", "night=nan"], "ordinary number"),
    (["--dose", "night=1e308"], "ordinary number"),
    (["--dose", "night=1000000"], "more than 5 times over"),
    (["--dose", "night=10", "--cut-percent", "1e308"], "not a usable number"),
    (["--dose", "night=10", "--target-mg", "nan"], "not a usable number"),
    (["--dose", "night=10", "--start", "2101-01-01"], "between 2000-01-01 and 2100-12-31"),
    (["--dose", "night=10", "--interval-days", "100000"], "91 days or fewer"),
    (["--dose", "night=10", "--cut-percent", "0.5"], "past 10 years"),
    (["--dose", "night=400"], "more than 5 times over"),
    (["--dose", "night=60"], "--confirm-high-dose"),
    (["--dose", "night=10", "--cut-order", "morning"], "leaves out the night dose"),
    (["--dose", "night=10", "--cut-order", "noon"], "unknown time of day 'noon'"),
    (["--dose", "night=10", "--final-dose-mg", "50"], "at most 10 mg"),
])
def test_bad_input_is_quick_and_one_line(extra, message):
    code, out, err, seconds = _run(["plan", "--drug", "diazepam", "--start", "2026-01-05", *extra], run_command)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1, err
    assert seconds < 0.5


def test_high_dose_confirmed_is_written_into_the_plan():
    code, out, err, _ = _run(["plan", "--drug", "lorazepam", "--dose", "morning=6", "--dose", "night=6",
                              "--start", "2026-01-05", "--confirm-high-dose"])
    assert code == 0, err
    plan = json.loads(out)
    assert plan["high_dose_confirmed"] is True
    assert any(w.startswith("HIGH DOSE CONFIRMED") and "10 mg a day" in w for w in plan["warnings"])
    assert check_plan(plan) == []


def test_alprazolam_crossover_to_200_mg_diazepam_is_refused_then_confirmed_with_nice_named():
    args = ["plan", "--drug", "alprazolam", "--start", "2026-01-05", "--crossover",
            *[x for t in TIMES for x in ("--dose", f"{t}=2.5")]]
    code, _, err, _ = _run(args)
    assert code == 2 and "diazepam" in err and "maximum of 40 mg" in err
    code, out, err, _ = _run([*args, "--confirm-high-dose"])
    assert code == 0, err
    plan = json.loads(out)
    assert any("NICE CKS" in w and "200 mg" in w for w in plan["warnings"])
    assert check_plan(plan) == []


def test_fixed_without_a_cut_is_ten_percent_of_the_start_and_says_so():
    code, out, err, _ = _run(["plan", "--drug", "diazepam", "--dose", "morning=10", "--dose", "night=10",
                              "--start", "2026-01-05", "--method", "fixed", "--format", "table"])
    assert code == 0, err
    assert "Fixed cuts of 10% of the starting dose" in out
    help_text = io.StringIO()
    with contextlib.redirect_stdout(help_text), pytest.raises(SystemExit):
        run_command(["plan", "--help"])
    assert "default 10% of the starting dose" in " ".join(help_text.getvalue().split())


def test_a_crossover_far_beyond_any_label_is_refused_before_any_planning():
    """100 mg clonazepam crossed to diazepam is 2000 mg a day: refused in the same
    words as after planning, without walking the taper first (that took seconds)."""
    code, out, err, seconds = _run(["plan", "--drug", "clonazepam", "--dose", "morning=100", "--crossover",
                                    "--liquid", "--allow-fast", "--confirm-high-dose"])
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert "The crossover gives 2000 mg diazepam a day, above its maximum of 40 mg a day" in err
    assert "more than 5 times over" in err
    assert seconds < 0.1, seconds
