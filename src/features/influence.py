"""Influence beyond volume: what an account earns beyond what its output predicts.

Fit log(1 + engagement received) = a + b · log(1 + own posts) by least squares and report
each nominee's residual (Romero et al. 2011 and Cha et al. 2010 both find influence only
loosely tied to activity). Whom the line is fitted across is a choice
(:data:`src.config.INFLUENCE_FIT_POPULATION`):

- ``"nominees"`` (the default): the nominees of the year with at least one own post, the
  accounts whose timelines were collected. A nominee's residual is then what it earns
  beyond nominees with the same output, and averages 0 within a year.
- ``"all_accounts"``: every account with own posts in the year's tables, nominees' and
  others' (the wider population, kept for comparison). Other accounts' posts are only
  those that engaged with a nominee (replies and quotes to them), so their volume is cut
  short and what they earn is small: the line is steeper and lower. On the simulated
  sample (2023 to 2025) nominees' residuals are 0.83 to 0.90 higher on average than with
  the default, and rank much alike (Spearman 0.93 to 0.97).

The fit needs only per-account or per-nominee sums, so it runs after the partitions combine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Fewest rows with output that support a fit (fewer: the residual is missing).
MIN_FIT = 3

#: Whom the line can be fitted across (:data:`src.config.INFLUENCE_FIT_POPULATION`).
FIT_POPULATIONS = ("nominees", "all_accounts")


def residuals(
    output: pd.Series, earned: pd.Series, fit_on: tuple[pd.Series, pd.Series] | None = None
) -> pd.Series:
    """Residual of log1p(earned) on log1p(output) for rows with output > 0 (missing elsewhere).

    The line is fitted over the rows of ``(output, earned)`` with output > 0, or over
    those of ``fit_on`` (another population's output and earned, e.g. every account's)
    when given. Missing everywhere when fewer than ``MIN_FIT`` rows, or no spread in
    output, support a fit.
    """
    output = output.astype(float)
    earned = earned.reindex(output.index).astype(float)
    scored = (output > 0) & earned.notna()
    out = pd.Series(np.nan, index=output.index, name="influence_residual")
    fit_output, fit_earned = (
        (output, earned)
        if fit_on is None
        else (fit_on[0].astype(float), fit_on[1].reindex(fit_on[0].index).astype(float))
    )
    fitted = (fit_output > 0) & fit_earned.notna()
    x, y = np.log1p(fit_output[fitted].to_numpy()), np.log1p(fit_earned[fitted].to_numpy())
    if len(x) < MIN_FIT or np.ptp(x) == 0:
        return out
    slope, intercept = np.polyfit(x, y, 1)
    out[scored] = np.log1p(earned[scored].to_numpy()) - (
        intercept + slope * np.log1p(output[scored].to_numpy())
    )
    return out
