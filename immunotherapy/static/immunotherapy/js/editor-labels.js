// Names what Wagtail 8.0's editor leaves without a name for screen readers: Draftail's rich text
// box (wagtail/wagtail#14205) and the typing box of a tags field, each named by its field's label
// as a plain input is by `<label for>`; and the avatar of a colleague on the same page, named by
// its hidden tooltip ("Ana Okafor - Currently viewing"). What appears later (a block added to a
// stream, the avatars each ping brings) is named as it appears.
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

  const AVATARS = 'button.w-editing-sessions__session:not([aria-label])';

  // The tooltip's words: in the button until Wagtail's tooltip controller hands them to tippy.js,
  // which keeps them on the button's `_tippy` instance.
  const tooltipOf = (avatar) =>
    avatar.querySelector('.w-editing-sessions__popup') || (avatar._tippy && avatar._tippy.props.content);

  const nameUnnamed = () => {
    document.querySelectorAll(UNNAMED).forEach((box) => {
      const label = labelOf(box);
      if (label && label.id) box.setAttribute('aria-labelledby', label.id);
      else if (label && label.textContent.trim()) box.setAttribute('aria-label', label.textContent.trim());
    });
    document.querySelectorAll(AVATARS).forEach((avatar) => {
      const tooltip = tooltipOf(avatar);
      if (tooltip) avatar.setAttribute('aria-label', tooltip.textContent.replace(/\s+/g, ' ').trim());
    });
  };

  const start = () => {
    nameUnnamed();
    new MutationObserver(nameUnnamed).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
