// Keeps the editor's publishing checklist (immunotherapy.panels.PublishingChecklistPanel) in
// step with the body while it is edited: a block filled in, emptied, added, removed or a care
// card's level changed ticks or unticks its rule at once. The rules come from the server
// (immunotherapy.blocks.streams.PUBLISHING_RULES), which checks the same ones on submit: a block
// counts when its type matches, each `one_of` field holds an allowed value and no required field
// is blank.
(() => {
  const checklist = document.querySelector('[data-publishing-checklist]');
  const form = checklist && checklist.closest('form');
  const rulesData = document.getElementById('publishing-checklist-rules');
  if (!form || !rulesData) return;
  const rules = JSON.parse(rulesData.textContent);
  // Wagtail's own bookkeeping inputs in streams and lists, not what an editor typed.
  const BOOKKEEPING = /-(count|deleted|order|type|id)$/;

  const isDeleted = (name) => {
    const parts = name.split('-');
    return parts.some((part, i) => {
      if (!/^\d+$/.test(part)) return false;
      const deleted = form.querySelector(`[name="${parts.slice(0, i + 1).join('-')}-deleted"]`);
      return Boolean(deleted && deleted.value === '1');
    });
  };

  // A rich text field's hidden input holds Draftail's content as JSON ("null" when empty);
  // like the server, only its text counts.
  const hasText = (input) => {
    const value = input.value.trim();
    if (input.type === 'hidden' && (value === 'null' || value.startsWith('{'))) {
      try {
        const content = JSON.parse(value);
        return Boolean(content && content.blocks.some((block) => block.text.trim()));
      } catch (error) {
        return value !== '';
      }
    }
    return value !== '';
  };

  // Whether anything is filled in under `name`: the field itself or, for a list or struct, the
  // inputs of its live items.
  const filled = (name) =>
    [...form.querySelectorAll('input, textarea, select')].some(
      (input) =>
        (input.name === name || input.name.startsWith(`${name}-`)) &&
        !BOOKKEEPING.test(input.name) &&
        !isDeleted(input.name) &&
        hasText(input),
    );

  const liveChildren = () =>
    [...form.querySelectorAll('input[type="hidden"]')]
      .filter((input) => /^body-\d+-type$/.test(input.name) && !isDeleted(input.name))
      .map((input) => ({ prefix: input.name.replace(/-type$/, ''), type: input.value }));

  const counts = (rule, { prefix, type }) =>
    type === rule.block_type &&
    Object.entries(rule.one_of).every(([name, allowed]) => {
      const input = form.querySelector(`[name="${prefix}-value-${name}"]`);
      return Boolean(input && allowed.includes(input.value));
    }) &&
    rule.required_fields.every((name) => filled(`${prefix}-value-${name}`));

  const update = () => {
    const children = liveChildren();
    rules.forEach((rule) => {
      const item = checklist.querySelector(`[data-rule="${rule.rule}"]`);
      const done = children.some((child) => counts(rule, child));
      if (!item || item.dataset.present === String(done)) return;
      item.dataset.present = String(done);
      item.querySelector('[data-mark]').textContent = done ? '✓' : '✗';
      item.querySelector('[data-state]').textContent = done ? '(added)' : '(missing)';
    });
  };

  // Typing fires `input` at once, but Draftail writes a rich text field's hidden input 250 ms
  // after the last keystroke: check once it has.
  let pending;
  const soon = () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 300);
  };
  form.addEventListener('change', update);
  form.addEventListener('input', soon);
  // Blocks are added and removed inside the body field only (the checklist sits outside it).
  const body = form.querySelector('[data-contentpath="body"]');
  if (body) new MutationObserver(update).observe(body, { childList: true, subtree: true });
  update();
})();
