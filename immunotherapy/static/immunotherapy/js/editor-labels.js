// Names the editor's text boxes that Wagtail 8.0 leaves without a name for screen readers:
// Draftail's rich text box (wagtail/wagtail#14205) and the typing box of a tags field. Each is
// named by its field's label, as a plain input is by `<label for>`; boxes that appear later (a
// block added to a stream) are named as they appear.
(() => {
  const UNNAMED = [
    '.public-DraftEditor-content:not([aria-label]):not([aria-labelledby])',
    '.tagit-new input:not([aria-label]):not([aria-labelledby])',
  ].join(', ');

  // The field's label; for a rich text block placed straight in a stream, which has none, the
  // block's heading ("Paragraph").
  const labelOf = (box) => {
    const wrapper = box.closest('.w-field__wrapper');
    const label = wrapper && wrapper.querySelector('.w-field__label');
    if (label) return label;
    const panel = box.closest('[data-panel]');
    return panel && panel.querySelector('[data-panel-heading]');
  };

  const nameBoxes = () => {
    document.querySelectorAll(UNNAMED).forEach((box) => {
      const label = labelOf(box);
      if (label && label.id) box.setAttribute('aria-labelledby', label.id);
      else if (label && label.textContent.trim()) box.setAttribute('aria-label', label.textContent.trim());
    });
  };

  const start = () => {
    nameBoxes();
    new MutationObserver(nameBoxes).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
