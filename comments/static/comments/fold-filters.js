// Where the moderation queue's filters stack above it (narrower than Wagtail's 50em columns:
// a phone), they start folded, so the first comment is in view; the summary names what is chosen.
(() => {
  const fold = () => {
    if (!window.matchMedia('(max-width: 49.99em)').matches) return;
    document.querySelectorAll('details[data-fold-when-narrow]').forEach((details) => {
      details.open = false;
    });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fold);
  else fold();
})();
