"""Account-level metric tables, as social-listening tools export them.

A comma-separated file (UTF-8, a byte-order mark allowed) with a header row and one row
per account and period (the account's followers, following and listed, its posts in the
period, the mentions and reposts it received and sent), or one row per account and
instant (a profile snapshot: followers, following, listed and the lifetime total of
posts). It is for users who have these aggregates but not the posts themselves.

Headers. Tools name columns differently, so a header is matched case-insensitively with
spaces, underscores and punctuation ignored (``Screen Name``, ``screen_name`` and
``screen-name`` are the same; a ``public_metrics.`` prefix is dropped), against these
names (:data:`COLUMN_SYNONYMS`):

============================  ================================================================
field                         header names accepted
============================  ================================================================
handle (required)             handle, account, username, screen name, account handle,
                              twitter handle, acct
platform                      platform, network, social network, channel
period_start                  period start, start, start date, date, from, week starting,
                              week commencing, week beginning, w/c
period_end                    period end, end, end date, to, until
period                        period, month, week
retrieved_at                  retrieved at, retrieved, date retrieved, collected at, exported
                              at, export date, downloaded at, fetched at, snapshot date, as
                              of, as at, __twarc.retrieved_at
followers                     followers, followers count, audience, total followers
following                     following, following count, friends, friends count, follows
                              count
listed                        listed, listed count, lists
posts_total (a snapshot)      tweet count, tweets count, statuses count, statuses, post count,
                              posts count, posts total, total posts, total tweets, total
                              statuses, lifetime posts
posts (in the period)         posts, tweets, posts in period, tweets in period, new posts, new
                              tweets, posts published, published posts, posts sent, tweets
                              sent, toots
mentions_received             mentions received, mentions
reposts_received              reposts received, retweets received, shares received
mentions_sent                 mentions sent
reposts_sent                  reposts sent, retweets sent, shares sent
============================  ================================================================

A lifetime total (``statuses_count``, ``tweet_count``, ``postsCount``) is a snapshot of
the account, never the posts of the period; :mod:`~src.metric_activity` says how
posts are had from it. A period count given as a per-day average says so in its header
(``posts per day``, ``posts/day``, ``avg daily posts``, ``average daily tweets``, ``daily
average mentions``, ...): it is read as the average times the period's days. Other
columns (engagement rates, impressions, ...) are not read, and are listed in the year's
data-quality notes. Two columns that mean the same field are an error, as is a file
without a handle column or without any count column.

Periods or snapshots. A table with a period (``period``, or ``period_start`` and
``period_end``) has one row per account and period; ``period_end`` is exclusive:

- the start from ``period_start``, else from ``period``; the end from ``period_end``,
  else from ``period``. No end is ever guessed from the next row.
- ``period`` is a month (``2014-05``), an ISO week (``2014-W18``: Monday to Monday) or
  one day (a date as below).
- A ``period_end`` that is a date (no time of day) is the *last day included*, as tools
  print "From 01/05/2014 To 31/05/2014"; it becomes the next midnight. A ``period_end``
  with a time of day is taken as the exclusive end instant.
- When a row gives both a start (or end) and a period, they must agree.

A table with counts of a period (posts, mentions, reposts) needs a period. A table with
only an account's figures (followers, following, listed, lifetime posts) and no period
is a table of snapshots: each row is the account at one instant, the row's
``retrieved_at`` (else its one date column, else, as a last resort said in the
data-quality notes, the file's modification time), stored as an empty period
(``period_start == period_end``). A row's followers, following, listed and lifetime
total are as of its period's end.

Dates: ISO 8601 (``2014-05-01``, ``2014-05-01T09:00:00Z``, ``2014-05-01 09:00+01:00``)
or ``DD/MM/YYYY`` with an optional ``HH:MM[:SS]`` (as UK tools write them). Nothing else
(``05/01/14``, ``2014/05/01``, ``1 May 2014``) is guessed at; a slashed date whose
middle number is over 12 is rejected as US month-first. Times without a zone, and
dates, are UTC.

Accounts. There is no native id in these tables: ``account_id`` is
``<platform>:@<handle>`` with the handle lower-cased and without a leading ``@``
(``x:@ada_ashby``), and ``handle`` holds the same normalised handle. Nominees are
matched to these accounts by handle, exactly as ``nominations.csv`` gives them
(:func:`src.ingest.nominations.normalise_handle`). ``platform`` is ``x`` (also written
``Twitter``), ``bluesky`` (``bsky``) or ``mastodon``; a blank or absent platform is the
reader's ``platform_default``.

Counts are whole numbers ≥ 0; thousands separated by commas (``1,234``) are accepted,
a blank cell is missing. Anything else (``-``, ``n/a``, ``12.5``, ``-3``, ``1,23``) is an
error naming the file, the line (as in the file) and the column as its header writes it;
a decimal in a period count says how to name a per-day average or convert it. The same
account and period read twice (in one file or several) is merged
(:mod:`~src.ingest.metrics.merge`: identical rows are one, else the latest retrieval
wins, and a tie with different values is an error naming both rows).

Modules: :mod:`~src.ingest.metrics.headers` (header names and the columns of a file),
:mod:`~src.ingest.metrics.periods` (dates, months and weeks),
:mod:`~src.ingest.metrics.reader` (rows and counts), :mod:`~src.ingest.metrics.merge`
(repeated rows), :mod:`~src.metric_activity` (posts from periods or snapshots)
and :mod:`~src.ingest.metrics.folder` (a year's files together, the window, the notes).
"""

from src.ingest.metrics.folder import read_metric_folder
from src.ingest.metrics.headers import (
    COLUMN_SYNONYMS,
    COUNT_FIELDS,
    PERIOD_FIELDS,
    PLATFORM_SYNONYMS,
    SNAPSHOT_FIELDS,
    header_key,
    platform_name,
    rate_field,
)
from src.ingest.metrics.reader import (
    METRIC_COLUMNS,
    account_id,
    account_metrics_frame,
    read_account_metrics,
    read_metric_file,
)
from src.metric_activity import account_activity

__all__ = [
    "COLUMN_SYNONYMS",
    "COUNT_FIELDS",
    "METRIC_COLUMNS",
    "PERIOD_FIELDS",
    "PLATFORM_SYNONYMS",
    "SNAPSHOT_FIELDS",
    "account_activity",
    "account_id",
    "account_metrics_frame",
    "header_key",
    "platform_name",
    "rate_field",
    "read_account_metrics",
    "read_metric_file",
    "read_metric_folder",
]
