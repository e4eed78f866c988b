// Glossary terms (glossary_tags.py) arrive as the word followed by its definition in brackets.
// Here each word becomes a button that shows and hides its definition: a disclosure that works
// by tap, click and keyboard (Enter or Space), announced as expanded or collapsed.
(function () {
  "use strict";
  document.querySelectorAll(".glossary-term").forEach(function (term, index) {
    var word = term.querySelector(".glossary-term__word");
    var definition = term.querySelector(".glossary-term__definition");
    if (!word || !definition) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "glossary-term__button";
    button.setAttribute("aria-expanded", "false");
    definition.id = "glossary-definition-" + (index + 1);
    button.setAttribute("aria-controls", definition.id);
    button.appendChild(word.cloneNode(true));
    word.replaceWith(button);
    definition.hidden = true;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      definition.hidden = !open;
    });
  });
})();
