"""The pace a plan is built under, resolved from the settings and the
guidance, and refused when it is faster than the guideline allows."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from taperdesk.core.guidance import Guidance
from taperdesk.core.quantity import fmt_mg
from taperdesk.core.regimen import PlanInputError
from taperdesk.core.settings import PlanSettings


@dataclass(frozen=True)
class ResolvedPace:
    cut_percent: Fraction | None  # proportional: of the current dose; fixed: of the starting dose
    max_cut: Fraction  # fraction of the dose per interval, e.g. 1/10
    interval_days: int
    single_cap: Fraction  # no single cut above this fraction (above the end phase)
    warnings: tuple[str, ...]


def resolve_pace(settings: PlanSettings, guidance: Guidance) -> ResolvedPace:
    interval = settings.interval_days
    limit_pct = guidance["pace.limit_percent"].number
    limit_days = guidance["pace.limit_days"].number
    single_cap_pct = guidance["pace.max_single_cut_percent"].number
    # the most a cut may take per interval and still keep 25% per 14 days
    guideline_cap = min(single_cap_pct, limit_pct * interval / limit_days)

    cut = Fraction(str(settings.cut_percent)) if settings.cut_percent is not None else None
    if settings.method != "stepwise" and cut is None and settings.cut_mg is None:
        # proportional: of the current dose; fixed with no cut given: 10% of the starting dose
        cut = guidance["pace.default_cut_percent"].number
    if settings.max_cut_percent is not None:
        max_cut = Fraction(str(settings.max_cut_percent))
    elif cut is not None and settings.method == "proportional":
        max_cut = cut
    else:
        max_cut = guideline_cap

    for label, value in (("cut", cut), ("pace cap", max_cut)):
        if value is not None and value > single_cap_pct:
            raise PlanInputError(
                f"a single {label} of {fmt_mg(value)}% is more than {fmt_mg(single_cap_pct)}% of the dose;"
                f" choose {fmt_mg(single_cap_pct)}% or less ({guidance['pace.max_single_cut_percent'].cite()})"
            )
    if settings.method == "proportional" and cut > max_cut:
        raise PlanInputError(
            f"the cut ({fmt_mg(cut)}%) is larger than the pace cap ({fmt_mg(max_cut)}%): lower the cut or raise the cap"
        )

    warnings: list[str] = []
    per_limit_days = max_cut * limit_days / interval
    if per_limit_days > limit_pct:
        text = (
            f"{fmt_mg(max_cut)}% every {interval} days is faster than the guideline's upper limit of"
            f" {fmt_mg(limit_pct)}% every {fmt_mg(limit_days)} days ({guidance['pace.limit_percent'].cite()})"
        )
        if not settings.allow_fast:
            raise PlanInputError(f"{text}: slow the pace, or override explicitly (--allow-fast)")
        warnings.append(f"PACE OVERRIDE by the clinician: {text}.")
    return ResolvedPace(cut, max_cut / 100, interval, single_cap_pct / 100, tuple(warnings))
