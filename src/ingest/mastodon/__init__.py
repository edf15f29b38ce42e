"""Mastodon exports: statuses and accounts as the Mastodon REST API returns them.

Formats (https://docs.joinmastodon.org/entities/Status/, .../entities/Account/,
.../entities/Quote/, .../entities/ShallowQuote/, .../client/quotes/):

- ``GET /api/v1/accounts/:id/statuses``: a JSON array of Status (``id``, ``uri``,
  ``url``, ``created_at``, ``account``, ``content`` (HTML), ``language``,
  ``in_reply_to_id``, ``in_reply_to_account_id``, ``reblog``, ``quote``,
  ``replies_count``, ``reblogs_count``, ``favourites_count``, ``quotes_count``,
  ``mentions`` ``[{id, username, acct, url}]``, ``tags`` ``[{name, url}]``,
  ``media_attachments``). ``GET /api/v1/statuses/:id`` (one Status object) reads too.
- ``GET /api/v1/accounts/:id`` and ``/api/v1/accounts/lookup``: one Account (``id``,
  ``username``, ``acct``, ``display_name``, ``note`` (HTML), ``url``,
  ``followers_count``, ``following_count``, ``statuses_count``, ``created_at``), or an
  array of them (``GET /api/v1/accounts?id[]=``).
- An error body (``{"error": "Record not found"}``) is counted in ``api_errors``.

A ``.json`` file holds one response; a ``.jsonl`` (or ``.ndjson``) file one response per
line. Files are read in sorted path order, one at a time, ``.jsonl`` line by line.

Ids. Status and account ``id`` s are local to the server that answered (the same person
has a different id on every server) and must be strings (as numbers they lose digits).
So canonical ids never use them:

- ``account_id`` ``"mastodon:<username>@<host>"`` in lower case, ``handle``
  ``"<username>@<host>"`` (lower case). ``host`` is the host of the account's profile
  ``url`` (the same whichever server answered), else the domain in ``acct`` when it has
  one. Caveat: on a server whose web domain differs from its account domain
  (``WEB_DOMAIN``), the host is the web domain. Mentions resolve the same way from the
  mention's ``url`` (else ``acct``).
- ``post_id`` ``"mastodon:" + uri`` (the ActivityPub id, globally unique; a reblog has
  its own ``uri``).
- ``in_reply_to_id``, ``in_reply_to_account_id`` and a ShallowQuote's
  ``quoted_status_id`` are server-local, so they are resolved only against ids seen in
  the **same file** (one file = responses from one server): statuses (including
  reblogged and quoted ones), their authors and the statuses' mentions (Mastodon
  mentions the replied-to account in every reply). A reply whose parent is not in the
  file keeps ``kind`` reply with ``referenced_post_id`` missing; its account is still
  found through the mentions. The counts of what could not be resolved are in
  ``notes``.

Kinds: ``reblog`` set → **repost** of the nested status by the wrapper's account, at the
wrapper's ``created_at``; its likes, reposts, replies and quotes are 0 (the wrapper's
counts are 0 in the API, and the nested status's counts belong to its author), and it
has no text, language, media or entities (the wrapper's ``content`` is empty).
``in_reply_to_id`` → **reply**. A ``quote`` (Mastodon 4.4+, Quote or ShallowQuote) in
state ``accepted`` → **quote** (quoted status from ``quoted_status``, or ``status`` as the
entity page's example writes it, or a ShallowQuote's ``quoted_status_id``); other states
(pending, rejected, revoked, deleted, …) are ignored, as is an absent ``quote`` (older
servers). A reply that also quotes is a reply, as in the X reader.

Text: ``content`` HTML to plain text with :mod:`html.parser` (entities decoded; ``<br>``
and paragraph breaks become spaces; whitespace collapsed); the ``<p class="quote-inline">``
"RE: <link>" fallback that Mastodon prepends to quote posts is dropped. ``urls``: the
links in ``content`` that are not mentions or hashtags (Mastodon marks those
``class="mention"``/``"hashtag"``, ``rel="tag"``). ``hashtags``: ``tags[].name``.
``has_media``: ``media_attachments`` not empty. ``lang``: ``language``. Account
``description``: ``note`` as plain text. Counts of ``-1`` on an account (servers such
as glitch-soc report hidden follower counts so) are missing; any other negative count is
an error. ``listed`` and ``impressions`` are missing (Mastodon has neither).

Interactions: reply → replied-to account, quote → quoted author, repost → reblogged
author, mention → each mentioned account; never to oneself, and a reply's mention of the
account it answers is the reply itself (as in the X reader).

Duplicates: the API gives no fetch time, so the copy read last (files in sorted path
order, then line and item order) wins, for statuses (by ``uri``) and accounts.

Bad input (strict by default, see :mod:`src.ingest.quarantine`): a file that is empty,
not UTF-8 or not JSON; a response that is neither Status nor Account; a required field
missing or of the wrong type (string ids, counts, lists of objects); a time that cannot
be parsed or has no zone; an account or mention whose server cannot be told. The message
names the file, the line (``.jsonl``) or the item (``.json``, e.g. ``[3]``) and the
field path from the response root (``[3].account.url``).

Modules: :mod:`~src.ingest.mastodon.text` (status HTML as plain text),
:mod:`~src.ingest.mastodon.accounts` (accounts, handles and ids, and what the reader has
kept so far), :mod:`~src.ingest.mastodon.statuses` (statuses as posts, and the replies and
quotes resolved per file) and :mod:`~src.ingest.mastodon.reader` (files and responses,
and the tables).
"""

from src.ingest.mastodon.accounts import PLATFORM, account_id, post_id
from src.ingest.mastodon.reader import read_mastodon_exports
from src.ingest.mastodon.text import html_text

__all__ = ["PLATFORM", "account_id", "html_text", "post_id", "read_mastodon_exports"]
