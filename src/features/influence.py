"""Influence beyond volume: what an account earns beyond what its output predicts.

Fit log(1 + engagement received) = a + b · log(1 + own posts) by least squares across
all nominees of the year with at least one own post (the accounts whose timelines were
collected: other accounts' posts are only those that engaged with a nominee, and their
counts are not comparable), and report each nominee's residual (Romero et al. 2011 and
Cha et al. 2010 both find influence only loosely tied to activity). The fit needs only
the per-nominee sums, so it runs after the partitions combine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_FIT = 3


def residuals(output: pd.Series, earned: pd.Series) -> pd.Series:
    """Residual of log1p(earned) on log1p(output), fitted over rows with output > 0 (missing elsewhere).

    Missing everywhere when fewer than ``MIN_FIT`` rows, or no spread in output, support a fit.
    """
    output = output.astype(float)
    earned = earned.reindex(output.index).astype(float)
    fit = (output > 0) & earned.notna()
    out = pd.Series(np.nan, index=output.index, name="influence_residual")
    x, y = np.log1p(output[fit].to_numpy()), np.log1p(earned[fit].to_numpy())
    if len(x) < MIN_FIT or np.ptp(x) == 0:
        return out
    slope, intercept = np.polyfit(x, y, 1)
    out[fit] = y - (intercept + slope * x)
    return out
