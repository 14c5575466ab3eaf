"""`taperdesk plan`: headless planning, JSON (the contract), a table or CSV."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from taperdesk.cli.dates import parse_date
from taperdesk.cli.errors import UsageError
from taperdesk.core.catalogue import CatalogueError, UnknownDrug, load_catalogue
from taperdesk.core.dispensing import DrugStock
from taperdesk.core.planner import make_plan
from taperdesk.core.regimen import TIMES, PlanInputError, Regimen
from taperdesk.core.schedule_text import plan_csv, plan_table
from taperdesk.core.settings import METHODS, PlanSettings


def add_parser(sub, name: str) -> None:
    p = sub.add_parser(name, help="plan a taper and print it", description="Plan a taper from a regimen.")
    p.add_argument("--drug", required=True, help="the drug the patient takes now")
    p.add_argument("--dose", action="append", required=True, metavar="TIME=MG",
                   help=f"mg at a time of day ({', '.join(TIMES)}); repeat for each time")
    p.add_argument("--method", choices=METHODS, default="proportional")
    p.add_argument("--cut-percent", type=float, help="proportional: %% of the current dose; fixed: %% of the starting dose")
    p.add_argument("--cut-mg", type=float, help="fixed: mg per cut")
    p.add_argument("--max-cut-percent", type=float, help="the pace cap per interval (default from the method)")
    p.add_argument("--interval-days", type=int, default=14)
    p.add_argument("--crossover", action="store_true", help="switch to diazepam first, one dose time at a time")
    p.add_argument("--crossover-days", type=int)
    p.add_argument("--target-mg", type=float, default=0.0, help="mg a day to end on (0: stop)")
    p.add_argument("--start", help="YYYY-MM-DD (default today)")
    p.add_argument("--stock", help="stocked strengths (mg) of the tapered drug, e.g. 2,5,10")
    p.add_argument("--split", choices=("none", "half", "quarter"), default="half")
    p.add_argument("--liquid", action="store_true", help="the oral liquid may be used")
    p.add_argument("--market", choices=("US", "UK"), help="only this market's products")
    p.add_argument("--end-step-mg", type=float, help="largest end-phase cut, mg diazepam-equivalent")
    p.add_argument("--end-phase-mg", type=float, help="end phase begins at this mg diazepam-equivalent")
    p.add_argument("--keep-longest", choices=TIMES, default="night")
    p.add_argument("--table", default="ashton", help="equivalence table: ashton or vadod")
    p.add_argument("--allow-fast", action="store_true", help="override the guideline pace limit (recorded)")
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
        out.append((time, value))
    return tuple(out)


def _start(text: str | None) -> date:
    if text is None:
        return date.today()
    return parse_date("--start", text)


def _strengths(text: str | None) -> tuple[float, ...] | None:
    if text is None:
        return None
    try:
        values = tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise UsageError(f"--stock {text!r}: list strengths in mg separated by commas, e.g. 2,5,10") from None
    if not values or any(v <= 0 for v in values):
        raise UsageError(f"--stock {text!r}: strengths must be more than 0 mg")
    return values


def run(args: argparse.Namespace) -> int:
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
            end_step_eq_mg=args.end_step_mg,
            end_phase_eq_mg=args.end_phase_mg,
            allow_fast=args.allow_fast,
            stock=(stock,) if tapered == drug else (stock, DrugStock(drug, market=args.market)),
        )
        plan = make_plan(Regimen(drug, _doses(args.dose)), settings, catalogue)
    except (PlanInputError, CatalogueError) as exc:
        raise UsageError(str(exc)) from None
    except UnknownDrug as exc:
        raise UsageError(str(exc)) from None
    text = {"json": plan.to_json, "table": lambda: plan_table(plan), "csv": lambda: plan_csv(plan)}[args.format]()
    sys.stdout.write(text)
    return 0
