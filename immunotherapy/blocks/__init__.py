from .content import SectionBlock, SectionStructValue
from .streams import ArticleStreamBlock

__all__ = ["ArticleStreamBlock", "SectionBlock", "SectionStructValue"]
