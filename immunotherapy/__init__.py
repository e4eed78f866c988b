"""Patient-facing immunotherapy content: articles, therapy types and their plugin registry."""

__version__ = "0.1.0"
