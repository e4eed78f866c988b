from .base import ReviewDatesMixin, TherapyPage
from .pages import ArticleIndexPage, ArticlePage, ArticleRelatedTherapy, TherapyIndexPage
from .review import MedicalReviewTask, MedicalSiteSettings, PageChangeNote
from .snippets import Agent, GlossaryTerm, MedicalReviewer, Reference

__all__ = [
    "Agent",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticleRelatedTherapy",
    "GlossaryTerm",
    "MedicalReviewTask",
    "MedicalReviewer",
    "MedicalSiteSettings",
    "PageChangeNote",
    "Reference",
    "ReviewDatesMixin",
    "TherapyIndexPage",
    "TherapyPage",
]
