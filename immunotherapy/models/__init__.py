from .base import ReviewDatesMixin, TherapyPage
from .pages import ArticleIndexPage, ArticlePage, ArticleRelatedTherapy, TherapyIndexPage
from .snippets import Agent, GlossaryTerm, Reference

__all__ = [
    "Agent",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticleRelatedTherapy",
    "GlossaryTerm",
    "Reference",
    "ReviewDatesMixin",
    "TherapyIndexPage",
    "TherapyPage",
]
