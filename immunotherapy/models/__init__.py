from .pages import ArticleIndexPage, ArticlePage

__all__ = ["ArticleIndexPage", "ArticlePage"]
