"""X (Twitter) API v2 exports as twarc2 writes them.

Format (https://developer.x.com/en/docs/x-api, twarc2 https://twarc-project.readthedocs.io):
one JSON response page per line, ``{"data": [...], "includes": {"users": [...],
"tweets": [...]}, "meta": {...}, "errors": [...], "__twarc": {"retrieved_at": ...}}``.
``data`` holds tweets (search, timeline pages) or users (user look-up pages). The
flattened form (``twarc2 flatten``: one tweet per line, expansions inline) is read too,
and ``.json`` files that hold JSON lines or one JSON document (a page, or an array of
pages or tweets, pretty-printed or not: :mod:`~src.ingest.x.files`). Ids are strings of
up to 19 digits and stay strings: as floats they would lose digits.

A tweet's kind comes from ``referenced_tweets``: ``retweeted`` makes a repost,
``quoted`` a quote, ``replied_to`` a reply (a reply that also quotes is a reply and a
quote interaction both), none an original. The reposted, quoted or replied-to author is
found in ``includes.tweets``, else among the tweets read anywhere in the export (or
``in_reply_to_user_id``); mentioned accounts in ``entities.mentions`` (by id where
given, otherwise by username through ``includes.users``). When the same tweet or user
appears more than once, the copy retrieved last (``__twarc.retrieved_at``, then file
order) wins: its metrics are the latest. The versions of an edited tweet (each under
its own id) make one post (:mod:`~src.ingest.x.edits`). Records of other twarc2 outputs
(counts, lists, compliance) are skipped and named (:mod:`~src.ingest.x.shapes`); what
the rules did is noted in data quality (:mod:`~src.ingest.x.quality`). The rules are in
``docs/counting-rules.md``.

Two paths read a line, and give the same tables and the same errors:

- the typed path (:mod:`~src.ingest.x.typed`): a well-formed page of tweets is decoded by
  msgspec straight into the fields the reader uses (:mod:`~src.ingest.x.structs`);
- the general path (:mod:`~src.ingest.x.pages` and :mod:`~src.ingest.x.checks`): any
  other line (flattened tweets, user look-ups, anything odd or wrong, and any item the
  typed rows do not settle) is parsed by orjson and every field checked, with errors
  that name the file, the line and the field.

Both keep their rows (:mod:`~src.ingest.x.rows`) in one place, from which
:mod:`~src.ingest.x.columns` builds the tables; :mod:`~src.ingest.x.reader` reads the
files and sends each line to one path or the other.
"""

from src.ingest.x.reader import read_x_exports
from src.ingest.x.rows import PLATFORM, account_id, post_id

__all__ = ["PLATFORM", "account_id", "post_id", "read_x_exports"]
