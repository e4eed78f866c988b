from .clinical import (
    AgentTableBlock,
    CareCardBlock,
    ClinicalTrialBlock,
    EvidenceBlock,
    ExpandedSnippetChooserBlock,
    MechanismBlock,
    SideEffectBlock,
    SideEffectsBlock,
)
from .content import (
    CalloutBlock,
    EmbedBlock,
    FAQBlock,
    FigureBlock,
    QuoteBlock,
    SectionBlock,
    SectionStructValue,
    image_api_representation,
)
from .streams import ArticleStreamBlock, TherapyStreamBlock, chosen_snippets, snippets_of_type

__all__ = [
    "AgentTableBlock",
    "ArticleStreamBlock",
    "CalloutBlock",
    "CareCardBlock",
    "ClinicalTrialBlock",
    "EmbedBlock",
    "EvidenceBlock",
    "ExpandedSnippetChooserBlock",
    "FAQBlock",
    "FigureBlock",
    "MechanismBlock",
    "QuoteBlock",
    "SectionBlock",
    "SectionStructValue",
    "SideEffectBlock",
    "SideEffectsBlock",
    "TherapyStreamBlock",
    "chosen_snippets",
    "image_api_representation",
    "snippets_of_type",
]
