"""The rich text feature sets editors get, named once so every field of a kind has one toolbar."""

# A sentence or two: index intros, evidence summaries, callout intros.
INLINE = ["bold", "italic", "link"]
# Short prose that may hold a bulleted list: side-effect management, plugin block descriptions.
INLINE_WITH_BULLETS = [*INLINE, "ul"]
# Paragraphs and lists of both kinds: article paragraphs, FAQ answers.
PARAGRAPHS = [*INLINE, "ol", "ul"]
# A titled section's body: subheadings, lists and links to documents.
SECTION = ["h3", "h4", *INLINE, "ol", "ul", "document-link"]
