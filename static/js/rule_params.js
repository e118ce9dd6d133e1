// A pool's rule parameters: only the fields of the chosen rule are shown (sharedcosts/forms.py marks them).
(function () {
  "use strict";
  function rowOf(input) {
    return input.closest(".form-row, .fieldBox, .field") || input;
  }
  function follow(select) {
    var form = select.form;
    function show() {
      form.querySelectorAll("[data-rule]").forEach(function (input) {
        rowOf(input).style.display = input.dataset.rule === select.value ? "" : "none";
      });
    }
    select.addEventListener("change", show);
    show();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-rule-select]").forEach(follow);
  });
})();
