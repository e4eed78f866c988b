// Keeps the editor's publishing checklist (immunotherapy.panels.PublishingChecklistPanel) in
// step with the body while it is edited: a block added, removed or a care card's level changed
// ticks or unticks its rule at once. The server checks the same rules on submit
// (immunotherapy.blocks.streams.publishing_checklist).
(() => {
  const checklist = document.querySelector('[data-publishing-checklist]');
  const form = checklist && checklist.closest('form');
  if (!form) return;
  const URGENT = ['urgent', 'emergency'];

  const liveChildren = () =>
    [...form.querySelectorAll('input[type="hidden"]')]
      .filter((input) => /^body-\d+-type$/.test(input.name))
      .map((input) => input.name.replace(/-type$/, ''))
      .filter((prefix) => {
        const deleted = form.querySelector(`[name="${prefix}-deleted"]`);
        return !(deleted && deleted.value === '1');
      });

  const update = () => {
    const types = new Map(
      liveChildren().map((prefix) => [prefix, form.querySelector(`[name="${prefix}-type"]`).value]),
    );
    const present = {
      side_effects: [...types.values()].includes('side_effects'),
      urgent_care: [...types].some(([prefix, type]) => {
        const level = form.querySelector(`[name="${prefix}-value-level"]`);
        return type === 'care_card' && level && URGENT.includes(level.value);
      }),
    };
    checklist.querySelectorAll('[data-rule]').forEach((item) => {
      const done = Boolean(present[item.dataset.rule]);
      if (item.dataset.present === String(done)) return;
      item.dataset.present = String(done);
      item.querySelector('[data-mark]').textContent = done ? '✓' : '✗';
      item.querySelector('[data-state]').textContent = done ? '(added)' : '(missing)';
    });
  };

  form.addEventListener('change', update);
  // Blocks are added and removed inside the body field only (the checklist sits outside it).
  const body = form.querySelector('[data-contentpath="body"]');
  if (body) new MutationObserver(update).observe(body, { childList: true, subtree: true });
  update();
})();
