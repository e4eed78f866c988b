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
