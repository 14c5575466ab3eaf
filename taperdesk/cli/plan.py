"""`taperdesk plan`: headless planning, JSON (the contract), a table or CSV."""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import replace
from datetime import date

from taperdesk.cli.dates import parse_date
from taperdesk.cli.errors import UsageError
from taperdesk.core.catalogue import CatalogueError, UnknownDrug, load_catalogue
from taperdesk.core.dispensing import DrugStock
from taperdesk.core.interactions import OtherMedicine, alcohol_units, findings, plan_drugs
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import TIMES, PlanInputError, Regimen
from taperdesk.core.schedule_text import plan_csv, plan_table
from taperdesk.core.settings import END_BANDS, FIRST_DAY, LAST_DAY, METHODS, PlanSettings


def _number(text: str) -> float:
    """A finite number (argparse type): inf, nan and 1e308-style overflows are refused in one line."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or abs(value) > 1e6:
        raise argparse.ArgumentTypeError(f"{text!r} is not a usable number: give an ordinary number, e.g. 10")
    return value


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    return value


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="plan a taper and print it", description="Plan a taper from a regimen.")
    p.add_argument("--drug", required=True, help="the drug the patient takes now")
    p.add_argument("--dose", action="append", required=True, metavar="TIME=MG",
                   help=f"mg at a time of day ({', '.join(TIMES)}); repeat for each time")
    p.add_argument("--method", choices=METHODS, default="proportional")
    p.add_argument("--cut-percent", type=_number,
                   help="proportional: %% of the current dose (default 10); fixed: %% of the starting dose"
                        " (default 10%% of the starting dose when neither this nor --cut-mg is given)")
    p.add_argument("--cut-mg", type=_number, help="fixed: mg per cut")
    p.add_argument("--max-cut-percent", type=_number, help="the pace cap per interval (default from the method)")
    p.add_argument("--interval-days", type=_days, default=14)
    p.add_argument("--crossover", action="store_true", help="switch to diazepam first, one dose time at a time")
    p.add_argument("--crossover-days", type=_days)
    p.add_argument("--target-mg", type=_number, default=0.0, help="mg a day to end on (0: stop)")
    p.add_argument("--start", help="YYYY-MM-DD (default today)")
    p.add_argument("--stock", help="stocked strengths (mg) of the tapered drug, e.g. 2,5,10")
    p.add_argument("--split", choices=("none", "half", "quarter"), default="half")
    p.add_argument("--liquid", action="store_true", help="the oral liquid may be used")
    p.add_argument("--market", choices=("US", "UK"), help="only this market's products")
    p.add_argument("--cut-order", default="even", metavar="even|TIME,TIME",
                   help="even (default): doses stay equal; a list such as morning,night cuts the morning dose"
                        " to zero before the night dose (NHS Scotland's pattern)")
    p.add_argument("--final-dose-mg", type=_number,
                   help="stop from this daily dose or less, mg diazepam-equivalent (default 0.5, or the smallest"
                        " dose the stock can make if larger)")
    p.add_argument("--end-band", choices=END_BANDS, default="default",
                   help="nice: below 5 mg diazepam-equivalent cut 0.5-1 mg each interval (NICE CKS), even where"
                        " that is faster than the pace; written into the plan's warnings")
    p.add_argument("--confirm-high-dose", action="store_true",
                   help="plan a regimen above the drug's maximum daily dose (recorded in the plan)")
    p.add_argument("--keep-longest", choices=TIMES, default="night")
    p.add_argument("--table", default="ashton", help="equivalence table: ashton or vadod")
    p.add_argument("--allow-fast", action="store_true", help="override the guideline pace limit (recorded)")
    p.add_argument("--other-medicine", action="append", default=[], metavar="NAME",
                   help="another medicine or substance the patient takes (repeat for each); interactions"
                        " with the plan's drugs go into its warnings, each with its source")
    p.add_argument("--alcohol-units", metavar="N", help="alcohol units a week (0 for none)")
    p.add_argument("--format", choices=("json", "table", "csv"), default="json")


def _doses(items: list[str]) -> tuple[tuple[str, float], ...]:
    out = []
    for item in items:
        time, sep, mg = item.partition("=")
        if not sep:
            raise UsageError(f"--dose {item!r}: write TIME=MG, e.g. --dose night=10")
        time = time.strip().lower()
        if time not in TIMES:
            raise UsageError(f"--dose {item!r}: unknown time of day {time!r}; use one of {', '.join(TIMES)}")
        try:
            value = float(mg)
        except ValueError:
            raise UsageError(f"--dose {item!r}: {mg!r} is not a number of mg") from None
        if not math.isfinite(value) or abs(value) > 1e6:
            raise UsageError(f"--dose {item!r}: give the dose as an ordinary number of mg, e.g. night=10")
        out.append((time, value))
    return tuple(out)


def _start(text: str | None) -> date:
    if text is None:
        return date.today()
    day = parse_date("--start", text)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UsageError(f"--start {text!r}: give a date between {FIRST_DAY} and {LAST_DAY}")
    return day


def _strengths(text: str | None) -> tuple[float, ...] | None:
    if text is None:
        return None
    try:
        values = tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise UsageError(f"--stock {text!r}: list strengths in mg separated by commas, e.g. 2,5,10") from None
    if not values or any(not 0 < v < 1e6 for v in values):
        raise UsageError(f"--stock {text!r}: strengths must be more than 0 mg")
    return values


def _others(names: list[str]) -> tuple[OtherMedicine, ...]:
    out = []
    for name in names:
        name = " ".join(name.split())
        if not name or len(name) > 200:
            raise UsageError("--other-medicine: give the medicine's name, e.g. --other-medicine oxycodone")
        out.append(OtherMedicine(name))
    return tuple(out)


def with_interactions(plan, others: tuple[OtherMedicine, ...], units: float | None):
    """(the plan with an interaction warning and its source for each match, what was checked);
    unchanged when nothing was given, so a plan made without other medicines is as before."""
    if not others and units is None:
        return plan, None
    found = findings(plan_drugs(plan), others, units)
    return replace(plan, warnings=plan.warnings + tuple(w.line() for w in found.warnings),
                   sources=plan.sources + tuple(s for s in found.sources if s not in plan.sources)), found


def run(args: argparse.Namespace) -> int:
    try:
        others = _others(args.other_medicine)
        units = alcohol_units(args.alcohol_units)
    except ValueError as exc:
        raise UsageError(f"--alcohol-units: {exc}") from None
    try:
        catalogue = load_catalogue()
        drug = catalogue.drug(args.drug).name
        tapered = "diazepam" if args.crossover else drug
        stock = DrugStock(tapered, _strengths(args.stock), args.split, args.liquid, args.market)
        settings = PlanSettings(
            start=_start(args.start),
            method=args.method,
            interval_days=args.interval_days,
            cut_percent=args.cut_percent,
            cut_mg=args.cut_mg,
            max_cut_percent=args.max_cut_percent,
            target_mg=args.target_mg,
            crossover=args.crossover,
            crossover_days=args.crossover_days,
            keep_longest=args.keep_longest,
            table=args.table,
            allow_fast=args.allow_fast,
            cut_order=args.cut_order,
            final_dose_eq_mg=args.final_dose_mg,
            end_band=args.end_band,
            confirm_high_dose=args.confirm_high_dose,
            stock=(stock,) if tapered == drug else (stock, DrugStock(drug, market=args.market)),
        )
        plan = make_plan(Regimen(drug, _doses(args.dose)), settings, catalogue)
    except (PlanInputError, CatalogueError) as exc:
        raise UsageError(str(exc)) from None
    except UnknownDrug as exc:
        raise UsageError(str(exc)) from None
    plan, found = with_interactions(plan, others, units)
    text = {"json": plan.to_json, "table": lambda: plan_table(plan), "csv": lambda: plan_csv(plan)}[args.format]()
    if found is not None and args.format == "table":
        text += f"\nInteractions: {found.status}\n"
    sys.stdout.write(text)
    return 0
