"""Signals of this app that other parts of the delivery path listen to.

`pages_changed` is sent once the transaction that changed content has committed, with
`page_ids`: the pages whose public output (HTML or API JSON) may now differ. Publishing,
unpublishing, moving or deleting a page, a snippet, image, document or site-setting change that
those pages show (found through Wagtail's reference index), and a comment approved, unapproved or
removed on them all send it. Listeners refresh what they keep for exactly those pages: the
stored page JSON, the HTML page cache, the CDN (`wagtail.contrib.frontend_cache`).

It is sent in the process that made the change; caches shared between processes (the database,
Redis) make the result visible to every other process on its next request.
"""

from django.dispatch import Signal

pages_changed = Signal()  # sender: the model class whose change it was; page_ids: frozenset[int]
