// Stops Wagtail's autosave once the editor's form has been sent.
//
// Wagtail 8's editor keeps autosaving while the browser waits for the answer to a submitted
// form. A workflow button ("Approve and Publish") adds hidden inputs to the form as it sends
// it; on a slow server the editor's UnsavedController (w-unsaved) takes those inputs for an
// edit and its AutosaveController (w-autosave) posts the form again in the background, so the
// action runs twice and the second run fails with a server error. Once the form is on its way
// there is nothing left to autosave: the answer replaces the page.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (event.defaultPrevented || !form.matches('[data-edit-form]')) return;
  const app = window.wagtail && window.wagtail.app;
  const autosave = app && app.getControllerForElementAndIdentifier(form, 'w-autosave');
  if (!autosave) return;
  autosave.activeValue = false; // AutosaveController.save() does nothing while inactive
  if (autosave.submit.cancel) autosave.submit.cancel(); // a save waiting out its debounce
});

// Keeps autosave watching for edits after a refused action.
//
// When an action is refused (a submit the publishing checklist stops), Wagtail 8.0 shows the
// editor's form again marked as holding unsaved changes (`data-w-unsaved-force-value="true"`).
// Its UnsavedController (w-unsaved) then skips setting up its periodic check for edits, and its
// AutosaveController saves the form at once. That save clears the mark (UnsavedController.clear())
// but nothing sets up the check afterwards: the header says "Saved" while no later edit is
// noticed, let alone saved, and leaving the page does not warn. This sets up the check once that
// first save has cleared the form.
document.addEventListener('w-unsaved:watch-edits', (event) => {
  const form = event.target;
  // clear() dispatches `w-unsaved:watch-edits` just before it removes the mark, so the mark is
  // still there during this first save's event only.
  if (!form.matches('[data-edit-form][data-w-unsaved-force-value="true"]')) return;
  const app = window.wagtail && window.wagtail.app;
  const unsaved = app && app.getControllerForElementAndIdentifier(form, 'w-unsaved');
  if (!unsaved) return;
  // After clear() has returned, the mark is gone: the check starts as on an unmarked form.
  queueMicrotask(() => unsaved.checkIntervalValueChanged(unsaved.checkIntervalValue));
});
