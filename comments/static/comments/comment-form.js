// The comment form on a cached page holds no CSRF token (the page is the same for every
// reader): fetch one when the page loads, and again on submit if that failed. Without a
// token the post still goes out, and the server shows the form again with the text kept.
(function () {
  "use strict";
  document.querySelectorAll("form[data-csrf-url]").forEach(function (form) {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    var pending = null;

    function fetchToken() {
      if (field.value) {
        return Promise.resolve();
      }
      if (!pending) {
        pending = fetch(form.dataset.csrfUrl, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            if (!response.ok) {
              throw new Error("CSRF token request failed: " + response.status);
            }
            return response.json();
          })
          .then(function (data) {
            field.value = data.token;
          })
          .catch(function () {
            pending = null;
          });
      }
      return pending;
    }

    fetchToken();
    form.addEventListener("submit", function (event) {
      if (field.value) {
        return;
      }
      event.preventDefault();
      fetchToken().then(function () {
        form.submit();
      });
    });
  });
})();
