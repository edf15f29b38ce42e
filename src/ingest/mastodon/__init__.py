"""Mastodon exports: statuses and accounts as the Mastodon REST API returns them.

Formats (https://docs.joinmastodon.org/entities/Status/, .../entities/Account/,
.../entities/Quote/, .../entities/ShallowQuote/, .../client/quotes/):

- ``GET /api/v1/accounts/:id/statuses`` (and its ``?pinned=true`` page): a JSON array of
  Status (``id``, ``uri``, ``url``, ``created_at``, ``visibility``, ``account``,
  ``content`` (HTML), ``spoiler_text``, ``language``, ``in_reply_to_id``,
  ``in_reply_to_account_id``, ``reblog``, ``quote``, ``edited_at``, ``poll``,
  ``replies_count``, ``reblogs_count``, ``favourites_count``, ``quotes_count``,
  ``mentions`` ``[{id, username, acct, url}]``, ``tags`` ``[{name, url}]``,
  ``media_attachments``). In a ``.jsonl`` file, lines of one Status each are read when
  they are all by one account (an account's statuses saved one per line).
- ``GET /api/v1/accounts/:id`` and ``/api/v1/accounts/lookup``: one Account (``id``,
  ``username``, ``acct``, ``display_name``, ``note`` (HTML), ``url``,
  ``followers_count``, ``following_count``, ``statuses_count``, ``created_at``), or an
  array of them (``GET /api/v1/accounts?id[]=``).
- An error body (``{"error": "Record not found"}``) is counted in ``api_errors``.

A ``.json`` file holds one response; a ``.jsonl`` (or ``.ndjson``) file one response per
line. Files are read in sorted path order, one at a time, ``.jsonl`` line by line. A
response may be wrapped with the time it was retrieved (:mod:`src.ingest.snapshots`).

Visibility (a privacy rule as well as a counting rule): only ``public`` and ``unlisted``
statuses count. A ``private`` (followers-only) or ``direct`` status, or one whose
visibility is anything else or absent, is dropped before anything in it is read: no post,
no mention, no interaction, no local id, no account row comes from it; only its number
reaches the data-quality notes. A reblogged or quoted status that says it is not public
or unlisted is not read either (the reblog or quote keeps no reference to it).

What is not an account's statuses is recognised from its content and skipped with a
data-quality warning that says what it looks like (:mod:`~src.ingest.mastodon.responses`),
in strict mode too (nothing is misread, so nothing stops): a page of statuses by more
than one account (a home, public, hashtag or list timeline, trends, search results;
boosts count for the account that boosted), a single Status in a ``.json`` file (what
fetching, posting, pinning, boosting or editing one returns), deleted statuses, edit
histories and sources, notifications, conversations (direct messages), thread contexts,
lists, polls, relationships, instance information, trending tags and links, ActivityPub
collections, empty objects. A timeline whose statuses are all by one account cannot be
told from that account's statuses, and its statuses are that account's either way.

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
"RE: <link>" fallback that Mastodon prepends to quote posts is dropped. A content warning
(``spoiler_text``) comes first, as ``[CW: <warning>] <content>``, so whoever quotes the
text shows the warning the author put before it. A poll's options are not text, and its
votes are not engagement (anonymous, and no other platform has them). ``urls``: the
links in ``content`` that are not mentions or hashtags (Mastodon marks those
``class="mention"``/``"hashtag"``, ``rel="tag"``). ``hashtags``: ``tags[].name``.
``has_media``: ``media_attachments`` not empty. ``lang``: ``language``. Account
``description``: ``note`` as plain text. Counts of ``-1`` on an account (servers such
as glitch-soc report hidden follower counts so) are missing; any other negative count is
an error. ``listed`` and ``impressions`` are missing (Mastodon has neither).

Interactions: reply → replied-to account, quote → quoted author, repost → reblogged
author, mention → each mentioned account; never to oneself, and a reply's mention of the
account it answers is the reply itself (as in the X reader).

Counts: ``reblogs_count`` and ``favourites_count`` are required; ``replies_count``
(absent on servers before Mastodon 2.5) and ``quotes_count`` (before 4.5) are missing
when absent, never 0, and the data-quality notes count them.

Duplicates and edits: a status (by ``uri``) or account (by handle) that arrives more than
once keeps the latest retrieval (:mod:`src.ingest.snapshots`: a kept retrieval time,
else the file's modification time, else the later line; never the file name). So the
pinned page's repeat of a status is the same post, and an edited status (``edited_at``)
is one post, dated when first posted, with the text and counts of the version retrieved
last; the data-quality notes count edited statuses.

Bad input (strict by default, see :mod:`src.ingest.quarantine`): a file that is empty,
not UTF-8 or not JSON; a response that is neither Status nor Account; a required field
missing or of the wrong type (string ids, counts, lists of objects); a time that cannot
be parsed or has no zone; an account or mention whose server cannot be told. The message
names the file, the line (``.jsonl``) or the item (``.json``, e.g. ``[3]``) and the
field path from the response root (``[3].account.url``).

Modules: :mod:`~src.ingest.mastodon.text` (status HTML as plain text),
:mod:`~src.ingest.mastodon.accounts` (accounts, handles and ids, and what the reader has
kept so far), :mod:`~src.ingest.mastodon.responses` (what a response is),
:mod:`~src.ingest.mastodon.statuses` (statuses as posts, and the replies and quotes
resolved per file), :mod:`~src.ingest.mastodon.reader` (files and responses, and the
tables) and :mod:`~src.ingest.mastodon.quality` (the data-quality notes). The counting
rules are summarised, with the tests that pin them, in docs/counting-rules.md.
"""

from src.ingest.mastodon.accounts import PLATFORM, account_id, post_id
from src.ingest.mastodon.reader import read_mastodon_exports
from src.ingest.mastodon.text import html_text

__all__ = ["PLATFORM", "account_id", "html_text", "post_id", "read_mastodon_exports"]
