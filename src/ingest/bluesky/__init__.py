"""Bluesky (AT Protocol) exports: author feeds and profiles as the App View returns them.

Formats (lexicons in https://github.com/bluesky-social/atproto/tree/main/lexicons):

- ``app.bsky.feed.getAuthorFeed`` pages, ``{"feed": [feedViewPost, ...], "cursor": ...}``.
  A ``feedViewPost`` (``app.bsky.feed.defs``) holds ``post`` (a ``postView``: ``uri``,
  ``cid``, ``author`` (``profileViewBasic``: ``did``, ``handle``, ``displayName``),
  ``record`` (the ``app.bsky.feed.post`` record: ``text``, ``createdAt``, ``reply``
  ``{root, parent}`` strong refs, ``embed``, ``facets``, ``langs``, ``tags``),
  ``embed`` (the hydrated view), ``replyCount``, ``repostCount``, ``likeCount``,
  ``quoteCount``, ``indexedAt``), optionally ``reply`` (the parent and root post views)
  and ``reason`` (``#reasonRepost`` ``{by, uri, cid, indexedAt}`` or ``#reasonPin``).
- ``app.bsky.actor.getProfile`` (one ``profileViewDetailed``: ``did``, ``handle``,
  ``displayName``, ``description``, ``followersCount``, ``followsCount``,
  ``postsCount``, ``createdAt``) and ``app.bsky.actor.getProfiles``
  (``{"profiles": [...]}``).
- An XRPC error body (``{"error": ..., "message": ...}``, e.g. a deleted or suspended
  account) is counted in ``api_errors``, like an X page of errors only.
- Each of these as the atproto Python SDK's ``model_dump()`` writes it (snake_case field
  names, ``py_type`` for ``$type``, absent fields as null): turned back into the XRPC
  shape first (:mod:`~src.ingest.bluesky.responses`).

Not author feeds: a ``{"feed": [...]}`` page whose items were made by more than one
account (a post's author, or a repost's reposter) is a home timeline (``getTimeline``),
a list or custom feed (``getListFeed``, ``getFeed``) or liked posts; it is skipped with a
data-quality warning that says what it looks like, in strict mode too, as are threads,
posts without feed context, likes, follows, lists, notifications and search results.

A ``.json`` file holds one response; a ``.jsonl`` (or ``.ndjson``) file one response per
line. Files are read in sorted path order, one at a time, ``.jsonl`` line by line. A
response may be wrapped with the time it was retrieved (:mod:`src.ingest.snapshots`).

Canonical rows:

- ``account_id`` ``"bluesky:" + did`` (the DID is permanent; handles change), ``handle``
  the handle (``handle.invalid``, the App View's marker for a handle that no longer
  verifies, becomes missing), ``listed`` missing (Bluesky has no lists count in
  profiles). Profiles give the counts; authors seen only inside posts (post authors,
  reposters, reply parents, quoted authors) get a row with handle and name but no counts.
  A profile is never replaced by a post-author view; among profiles, and among author
  views, the latest retrieval wins. An account any of whose views carries the
  ``!no-unauthenticated`` label (not negated) asks not to be shown to logged-out viewers:
  ``hide_from_logged_out`` is true, and reports must not name or quote it.
- ``post_id`` ``"bluesky:" + at-uri``. ``kind``: a feed item with ``#reasonRepost`` is a
  **repost** by ``reason.by`` at ``reason.indexedAt``, with ``post_id`` the repost
  record's at-uri (``reason.uri``; older App Views omit it, then
  ``"bluesky:repost:<reposter did>:<post at-uri>"``) and ``referenced_post_id`` the
  reposted post. Otherwise ``record.reply`` makes a **reply** (to ``reply.parent``), an
  ``app.bsky.embed.record`` or ``app.bsky.embed.recordWithMedia`` embed of an
  ``app.bsky.feed.post`` record a **quote** (embedded feeds, lists or starter packs are
  not quotes), else **original**. A reply that also quotes is a reply, as in the X reader.
  ``#reasonPin`` items are the author's own posts.
- Counts: a repost row has likes, reposts, replies and quotes **0**. The feed item's
  counts belong to the reposted post (the repost record itself cannot be liked or
  replied to in the App View's counts), so copying them would credit the reposter with the
  original author's engagement once per repost; X's retweets carry the retweet's own
  metrics, which are not comparable. A repost row has no text, language, media or
  entities either: it is the act of sharing. A count a post view lacks is missing, never
  0 (they are optional in the lexicon; ``quoteCount`` arrived in 2024), and the
  data-quality notes count them. Impressions are missing.
- Entities from ``record.facets`` (``app.bsky.richtext.facet``): ``#mention`` DIDs,
  ``#link`` URIs, ``#tag`` tags, plus ``record.tags`` (extra hashtags not in the text)
  and an ``app.bsky.embed.external`` link card's URI. ``has_media``: an
  ``app.bsky.embed.images``, ``video`` or ``gallery`` embed, alone or as the media of a
  ``recordWithMedia``. A link card (``external``) is a URL, not media, as on X.
- ``lang``: the first of ``record.langs``.
- The replied-to and quoted authors come from the referenced at-uri's authority (a DID
  in strong refs), else from the hydrated ``reply.parent`` / embed view.
- Interactions: reply → parent author, quote → quoted author, repost → reposted author,
  mention → each mentioned DID; never to oneself, and a reply's mention of the account
  it answers is the reply itself (as in the X reader).

Duplicates: the responses carry no retrieval time (``indexedAt`` is when the App View
indexed the record, the same in every copy), so the latest retrieval is told by a kept
retrieval time, else the file's modification time, else the later line; never by file
name (:mod:`src.ingest.snapshots`).

Bad input (strict by default, see :mod:`src.ingest.quarantine`): a file that is empty,
not UTF-8 or not JSON; a response that is not one of the above; a required field
missing or of the wrong type (ids, at-uris, DIDs, counts); a time that cannot be parsed
or has no zone. The message names the file, the line (``.jsonl``) or the item
(``.json``, e.g. ``feed[3]``) and the field path from the response root
(``feed[3].post.record.createdAt``).

Modules: :mod:`~src.ingest.bluesky.ids` (canonical ids, DIDs and at-uris),
:mod:`~src.ingest.bluesky.accounts` (actor views and profiles, and what the reader has
kept so far), :mod:`~src.ingest.bluesky.feed` (feed items as posts),
:mod:`~src.ingest.bluesky.responses` (what a response is; the SDK's shape),
:mod:`~src.ingest.bluesky.reader` (files and responses, and the tables) and
:mod:`~src.ingest.bluesky.quality` (the data-quality notes). The counting rules are
summarised, with the tests that pin them, in docs/counting-rules.md.
"""

from src.ingest.bluesky.ids import PLATFORM, account_id, post_id
from src.ingest.bluesky.reader import read_bluesky_exports

__all__ = ["PLATFORM", "account_id", "post_id", "read_bluesky_exports"]
