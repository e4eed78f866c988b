// Mends, for screen readers, what Wagtail 8.0's admin leaves unnamed or misplaced (each checked
// by axe in tests/e2e/test_accessibility.py). What appears later (a block added to a stream, the
// avatars each editing-session ping brings, a dialog, the block picker) is mended as it appears.
//
// - Draftail's rich text box (wagtail/wagtail#14205) and the typing box of a tags field: named by
//   their field's label, as a plain input is by `<label for>`.
// - The avatar of a colleague on the same page: named by its hidden tooltip ("Ana Okafor -
//   Currently viewing").
// - Dialogs opened by Wagtail's ModalWorkflow (the review's Approve, the choosers): named by
//   their heading.
// - The block picker's Preview buttons, placed inside its list of options where only options may
//   be: left to the mouse and touch, out of the screen reader's list and the Tab order (the
//   options themselves are chosen with the arrow keys, as before).
// - A tab's trigger outside its tab list (the new-user form's "Roles" button under the Account
//   fields): a link that opens the Roles tab, not a tab of its own.
(() => {
  const UNNAMED_BOXES = [
    '.public-DraftEditor-content:not([aria-label]):not([aria-labelledby])',
    '.tagit-new input:not([aria-label]):not([aria-labelledby])',
  ].join(', ');
  const UNNAMED_AVATARS = 'button.w-editing-sessions__session:not([aria-label])';
  const UNNAMED_DIALOGS = '.modal[role="dialog"]:not([aria-label]):not([aria-labelledby])';
  const PICKER_PREVIEWS = '[role="listbox"] .w-combobox__option-preview:not([aria-hidden])';
  const STRAY_TABS = '[role="tab"]:not([role="tablist"] [role="tab"])';

  const words = (element) => element.textContent.replace(/\s+/g, ' ').trim();

  // The field's label; for a rich text block placed straight in a stream, which has none, the
  // block's heading ("Paragraph").
  const labelOf = (box) => {
    const wrapper = box.closest('.w-field__wrapper');
    const label = wrapper && wrapper.querySelector('.w-field__label');
    if (label) return label;
    const panel = box.closest('[data-panel]');
    return panel && panel.querySelector('[data-panel-heading]');
  };

  // The tooltip's words: in the button until Wagtail's tooltip controller hands them to tippy.js,
  // which keeps them on the button's `_tippy` instance.
  const tooltipOf = (avatar) =>
    avatar.querySelector('.w-editing-sessions__popup') || (avatar._tippy && avatar._tippy.props.content);

  const mend = () => {
    document.querySelectorAll(UNNAMED_BOXES).forEach((box) => {
      const label = labelOf(box);
      if (label && label.id) box.setAttribute('aria-labelledby', label.id);
      else if (label && words(label)) box.setAttribute('aria-label', words(label));
    });
    document.querySelectorAll(UNNAMED_AVATARS).forEach((avatar) => {
      const tooltip = tooltipOf(avatar);
      if (tooltip) avatar.setAttribute('aria-label', words(tooltip));
    });
    // The dialog's heading shares its id with the page's own heading: named by its words.
    document.querySelectorAll(UNNAMED_DIALOGS).forEach((dialog) => {
      const heading = dialog.querySelector('h1, h2');
      if (heading && words(heading)) dialog.setAttribute('aria-label', words(heading));
    });
    document.querySelectorAll(PICKER_PREVIEWS).forEach((button) => {
      button.setAttribute('aria-hidden', 'true');
      button.setAttribute('tabindex', '-1');
    });
    document.querySelectorAll(STRAY_TABS).forEach((link) => link.removeAttribute('role'));
  };

  const start = () => {
    mend();
    new MutationObserver(mend).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
