from .base import MedicalContentPage, TherapyPage
from .pages import (
    ArticleIndexPage,
    ArticlePage,
    ArticlePageTag,
    ArticleRelatedTherapy,
    StandardPage,
    TherapyIndexPage,
)
from .review import MedicalReviewTask, PageChangeNote
from .site_settings import MedicalSiteSettings
from .snippets import Agent, GlossaryTerm, MedicalReviewer, Reference
from .wordpress import WordPressImported, WordPressUpload

__all__ = [
    "Agent",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageTag",
    "ArticleRelatedTherapy",
    "GlossaryTerm",
    "MedicalContentPage",
    "MedicalReviewTask",
    "MedicalReviewer",
    "MedicalSiteSettings",
    "PageChangeNote",
    "Reference",
    "StandardPage",
    "TherapyIndexPage",
    "TherapyPage",
    "WordPressImported",
    "WordPressUpload",
]
