"""Signals of the comments app."""

from django.dispatch import Signal

# Sent after a bulk update of comments (which sends no post_save): sender=Comment,
# page_ids=the pages whose comments changed. Single saves and deletes send Django's own signals.
comments_changed = Signal()
