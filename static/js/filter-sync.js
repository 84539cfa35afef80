// Filter forms (every form with method="get") must show what the results below them show.
// After the browser's Back (or Forward, or a reload) they may not:
// - a page restored from the back-forward cache keeps whatever was last chosen in a field,
//   even when that choice was never applied;
// - htmx's own history restore puts back a copy of the page whose fields show the values
//   the server first rendered, not the ones chosen since (a copy keeps attributes, not the
//   current choice);
// - a page loaded again gets the browser's "form restore", which fills in the values the
//   person had chosen before leaving, over the ones the server rendered for this address.
// The address (its query string) is what the results were made from, so in the first two
// cases each field is set from it (a field the address does not name goes back to the value
// the page came with); in the third the fields go back to what the server rendered.
(function () {
  "use strict";

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field.form === form && !/^(hidden|submit|button|reset|file)$/.test(field.type);
    });
  }

  function setField(field, values) {
    // values: the address's values for this name, or null to take the rendered default.
    if (field.tagName === "SELECT") {
      Array.prototype.forEach.call(field.options, function (option) {
        option.selected = values ? values.indexOf(option.value) !== -1 : option.defaultSelected;
      });
    } else if (field.type === "checkbox" || field.type === "radio") {
      field.checked = values ? values.indexOf(field.value) !== -1 : field.defaultChecked;
    } else {
      field.value = values ? values[0] : field.defaultValue;
    }
  }

  function sync(fromAddress) {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll('form[method="get" i]').forEach(function (form) {
      fields(form).forEach(function (field) {
        var named = fromAddress && params.has(field.name);
        setField(field, named ? params.getAll(field.name) : null);
      });
    });
  }

  function navigationType() {
    var entries = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("navigation") : [];
    return entries.length ? entries[0].type : "";
  }

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      sync(true);
    } else if (navigationType() === "back_forward" || navigationType() === "reload") {
      sync(false);
    }
  });
  document.addEventListener("htmx:historyRestore", function () { sync(true); });
})();
