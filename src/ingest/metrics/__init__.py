"""Account-level metric tables, as social-listening tools export them.

A comma-separated file (UTF-8, a byte-order mark allowed) with a header row and one row
per account and period: the account's followers, following, listed and posts in the
period, and the mentions and reposts it received and sent. It is for users who have
these aggregates but not the posts themselves.

Headers. Tools name columns differently, so a header is matched case-insensitively with
spaces, underscores and punctuation ignored (``Screen Name``, ``screen_name`` and
``screen-name`` are the same), against these names (:data:`COLUMN_SYNONYMS`):

============================  ================================================================
field                         header names accepted
============================  ================================================================
handle (required)             handle, account, username, screen name, account handle,
                              twitter handle
platform                      platform, network, social network, channel
period_start                  period start, start, start date, date, from, week starting,
                              week commencing, week beginning, w/c
period_end                    period end, end, end date, to, until
period                        period, month, week
followers                     followers, followers count, audience, total followers
following                     following, following count, friends, friends count
listed                        listed, listed count, lists
posts                         posts, post count, tweets, tweet count, statuses, statuses count
mentions_received             mentions received, mentions
reposts_received              reposts received, retweets received, shares received
mentions_sent                 mentions sent
reposts_sent                  reposts sent, retweets sent, shares sent
============================  ================================================================

Other columns (engagement rates, impressions, ...) are ignored. Two columns that mean
the same field are an error, as is a file without a handle column, without a way to
tell the period (below), or without any count column.

Periods. ``period_end`` in the table is exclusive. Each row needs its start and its end:

- the start from ``period_start``, else from ``period``;
- the end from ``period_end``, else from ``period``. No end is ever guessed from the
  next row: a row whose end cannot be read from the row itself is an error.
- ``period`` is a month (``2014-05``), an ISO week (``2014-W18``: Monday to Monday) or
  one day (a date as below).
- A ``period_end`` that is a date (no time of day) is the *last day included*, as tools
  print "From 01/05/2014 To 31/05/2014"; it becomes the next midnight. A ``period_end``
  with a time of day is taken as the exclusive end instant.
- When a row gives both a start (or end) and a period, they must agree.

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
error naming the file, the line (as in the file) and the column as its header writes it.
The same account and period start twice is an error (the second row).

Modules: :mod:`~src.ingest.metrics.headers` (header names and the columns of a file),
:mod:`~src.ingest.metrics.periods` (dates, months and weeks) and
:mod:`~src.ingest.metrics.reader` (rows, counts and the table).
"""

from src.ingest.metrics.headers import (
    COLUMN_SYNONYMS,
    COUNT_FIELDS,
    PLATFORM_SYNONYMS,
    header_key,
    platform_name,
)
from src.ingest.metrics.reader import (
    METRIC_COLUMNS,
    account_id,
    account_metrics_frame,
    read_account_metrics,
)

__all__ = [
    "COLUMN_SYNONYMS",
    "COUNT_FIELDS",
    "METRIC_COLUMNS",
    "PLATFORM_SYNONYMS",
    "account_id",
    "account_metrics_frame",
    "header_key",
    "platform_name",
    "read_account_metrics",
]
