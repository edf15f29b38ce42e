"""Engagement quality: what each own post earns (Kaushik's conversation, amplification
and applause rates), engagement relative to audience size (Bakshy et al. 2011), the
h-index of posts (Hirsch 2005) and how concentrated engagement is.

Reposts are left out: in X API v2 a retweet carries the reposted post's counts, which
the nominee did not earn. :func:`engagement_sums` adds over partitions of posts;
:func:`ranked_post_sums` (h-indices, top decile) needs a nominee's own posts in one
partition (partition by nominee), then its counts add.

A count a platform did not report (a Mastodon server before 2.5 sends no
``replies_count``, Bluesky's App View sent no ``quoteCount`` before 2024) is missing in
the posts table (NaN here), never 0. Such a count is unknown: a rate of one count is over
the posts where that count is known (missing when it is known for none); engagement per
post adds each count's rate over the posts where it is known; the share of posts engaged
with and the top-decile share are over the posts with at least one count known; an
h-index is over the posts whose count is known (missing when none is). With every count
known these are the plain per-post definitions, computed exactly as before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from src.features.arrays import group_order

COUNTS = ["reposts", "replies", "likes", "quotes"]


#: Per count, the column of :func:`engagement_sums` that counts the posts where it is known.
KNOWN = {count: f"{count}_known" for count in COUNTS}


def engagement_sums(posts: pd.DataFrame) -> pd.DataFrame:
    """Per nominee, over own posts: ``own_posts``, the sums of each count received (of the
    posts where it is known), ``engaged_posts``, ``media_posts``, and per count the posts
    where it is known (:data:`KNOWN`) and ``engagement_known`` (posts with any count known).
    """
    own = posts[posts["kind"] != "repost"]
    frame = own[["nominee_id", *COUNTS]].copy()
    frame["own_posts"] = 1
    counts = own[COUNTS]
    # A post is engaged with when a count it has is above 0 (unknown counts add nothing).
    frame["engaged_posts"] = (counts.sum(axis=1) > 0).astype(int)
    frame["media_posts"] = own["has_media"].astype(np.int64) if "has_media" in own.columns else 0
    known = counts.notna()
    for count in COUNTS:
        frame[KNOWN[count]] = known[count].astype(np.int64)
    frame["engagement_known"] = known.any(axis=1).astype(np.int64)
    return frame.groupby("nominee_id", sort=True).sum()


def _known_posts(sums: pd.DataFrame, column: str) -> pd.Series:
    """``sums[column]`` (posts where a count is known) as a divisor: missing when 0; the
    own posts when ``sums`` has no such column (counts all known)."""
    known = sums[column] if column in sums.columns else sums["own_posts"]
    return known.astype(float).where(known > 0)


def _ranked(key: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each nominee's values in descending order: (nominee code per row, the value, its
    rank from 1)."""
    order = group_order(key, values, descending=True)
    key, values = key[order], values[order]
    start = np.ones(len(key), dtype=bool)
    start[1:] = key[1:] != key[:-1]
    first = np.flatnonzero(start)
    rank = np.arange(1, len(key) + 1) - np.repeat(first, np.diff(np.append(first, len(key))))
    return key, values, rank


def _known_rows(codes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (codes, values) of the rows whose value is known (not NaN)."""
    if values.dtype.kind != "f":
        return codes, values
    known = ~np.isnan(values)
    return (codes, values) if known.all() else (codes[known], values[known])


def _unknown_as_missing(values: np.ndarray, codes: np.ndarray, count: int) -> np.ndarray:
    """``values`` per nominee, missing (NaN) for nominees none of whose rows ``codes`` holds
    (every count of theirs unknown); unchanged when every nominee has a row."""
    present = np.bincount(codes, minlength=count) > 0
    return values if present.all() else np.where(present, values, np.nan)


def ranked_post_sums(posts: pd.DataFrame) -> pd.DataFrame:
    """Per nominee, over own posts: ``repost_h_index``, ``like_h_index``,
    ``top_decile_engagement`` and ``engagement``; each over the posts whose counts are
    known (missing for a nominee with none known)."""
    own = posts[posts["kind"] != "repost"]
    codes, nominees = pd.factorize(own["nominee_id"].to_numpy(), sort=True)
    count = len(nominees)
    out = {}
    for column in ("reposts", "likes"):
        known_codes, known_values = _known_rows(codes, own[column].to_numpy())
        key, values, rank = _ranked(known_codes, known_values)
        # The h-index: in descending order, the posts whose value is at least their rank.
        h_index = np.bincount(key, weights=values >= rank, minlength=count).astype(np.int64)
        out[f"{column[:-1]}_h_index"] = _unknown_as_missing(h_index, known_codes, count)
    known_codes, totals = _known_rows(codes, own[COUNTS].sum(axis=1, min_count=1).to_numpy())
    key, total, rank = _ranked(known_codes, totals)
    size = np.bincount(key, minlength=count)
    top = np.where(rank <= np.ceil(size[key] / 10), total, 0)
    out["top_decile_engagement"] = _unknown_as_missing(
        np.bincount(key, weights=top, minlength=count).astype(np.int64), known_codes, count
    )
    out["engagement"] = _unknown_as_missing(
        np.bincount(key, weights=total, minlength=count).astype(np.int64), known_codes, count
    )
    return pd.DataFrame(out, index=pd.Index(nominees, name="nominee_id"))


def engagement_features(
    sums: pd.DataFrame,
    followers: pd.Series,
    ranked: pd.DataFrame | None = None,
    mentions: pd.Series | None = None,
    rated: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rates per own post; ``followers`` is indexed by nominee (missing means unknown).

    ``ranked`` is :func:`ranked_post_sums`, ``mentions`` the mentions received per
    nominee (from interactions); both indexed by nominee. ``rated`` is
    :func:`engagement_sums` over the posts of the accounts whose followers are known, and
    ``followers`` then those accounts' followers, for ``engagement_per_1k_followers``
    (posts of an account with unknown followers would otherwise be divided by the other
    accounts' followers); without it, ``sums`` is used.
    """
    index = sums.index
    own = sums["own_posts"].astype(float).where(sums["own_posts"] > 0)
    followers = followers.reindex(index).astype(float)
    rated = sums if rated is None else rated.reindex(index, fill_value=0)
    rated_own = rated["own_posts"].astype(float).where(rated["own_posts"] > 0)
    ranked = (
        ranked
        if ranked is not None
        else pd.DataFrame(
            columns=["repost_h_index", "like_h_index", "top_decile_engagement", "engagement"]
        )
    ).reindex(index, fill_value=0)
    mentions = (
        (mentions if mentions is not None else pd.Series(dtype=float))
        .reindex(index, fill_value=0)
        .astype(float)
    )
    engaged = (
        sums["engaged_posts"] if "engaged_posts" in sums.columns else pd.Series(np.nan, index=index)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        per_post = _engagement_per_post(rated, rated_own)
        return pd.DataFrame(
            {
                "amplification_rate": sums["reposts"] / _known_posts(sums, KNOWN["reposts"]),
                "conversation_rate": sums["replies"] / _known_posts(sums, KNOWN["replies"]),
                "applause_rate": sums["likes"] / _known_posts(sums, KNOWN["likes"]),
                "engagement_per_1k_followers": (per_post / followers * 1000).where(followers > 0),
                "mentions_received_per_post": mentions / own,
                "repost_h_index": ranked["repost_h_index"].astype(float),
                "like_h_index": ranked["like_h_index"].astype(float),
                "engaged_post_share": engaged / _known_posts(sums, "engagement_known"),
                "top_decile_engagement_share": (
                    ranked["top_decile_engagement"] / ranked["engagement"].astype(float)
                ).where(ranked["engagement"] > 0),
            },
            index=index,
        )


def _engagement_per_post(sums: pd.DataFrame, own: pd.Series) -> pd.Series:
    """Engagement received per own post: the counts' sum over the own posts ``own``.

    A count known on only some posts adds its rate over those posts; a count known on
    none adds nothing (the figure then covers the counts the platform reports); no count
    known at all: missing. With every count known on every post, the plain sum over
    ``own``, computed as it always was.
    """
    plain = sums[COUNTS].sum(axis=1) / own
    if not all(KNOWN[c] in sums.columns for c in COUNTS):
        return plain
    complete = {c: sums[KNOWN[c]] == sums["own_posts"] for c in COUNTS}
    if all(complete[c].all() for c in COUNTS):
        return plain
    full = pd.DataFrame({c: sums[c].where(complete[c], 0) for c in COUNTS}).sum(axis=1) / own
    partial = pd.DataFrame(
        {c: (sums[c] / _known_posts(sums, KNOWN[c])).where(~complete[c]) for c in COUNTS}
    ).sum(axis=1, min_count=1)
    any_known = sum(sums[KNOWN[c]] for c in COUNTS) > 0
    mixed = (full + partial.fillna(0)).where(any_known)
    return plain.where(np.logical_and.reduce([complete[c] for c in COUNTS]), mixed)
