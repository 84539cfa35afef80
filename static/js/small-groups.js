/* Small groups (smallgroups/groups.html): move a student by their "Group" select (keyboard)
   or by dragging their card onto another group (pointer); both keep the select and the card
   in step, so what is posted is what is seen. Without this script the selects alone still
   post the arrangement: the server places each student where their select says. The words
   come from the page's JavaScript catalog. */
(function () {
  "use strict";
  var board = document.querySelector("[data-group-board]");
  if (!board) {
    return;
  }
  var live = document.getElementById("groups-live");
  var maxSize = parseInt(board.getAttribute("data-max-size"), 10) || 0;

  function groupNumber(index) {
    return Number(index) + 1;
  }

  function nameOf(index) {
    var input = board.querySelector('[data-group-name="' + index + '"]');
    var name = input ? input.value.trim() : "";
    var words = name ? gettext("Group %(number)s: %(name)s") : gettext("Group %(number)s");
    return interpolate(words, {number: groupNumber(index), name: name}, true);
  }

  function refresh() {
    board.querySelectorAll("[data-group-list]").forEach(function (list) {
      var index = list.getAttribute("data-group-list");
      var n = list.querySelectorAll("[data-student]").length;
      var count = board.querySelector('[data-group-count="' + index + '"]');
      var over = maxSize && n > maxSize;
      if (count) {
        var words = over
          ? ngettext("%(count)s student, more than %(max)s", "%(count)s students, more than %(max)s", n)
          : ngettext("%(count)s student", "%(count)s students", n);
        count.textContent = interpolate(words, {count: n, max: maxSize}, true);
      }
      list.closest("[data-group-drop]").classList.toggle("over-size", Boolean(over));
      var note = board.querySelector('[data-empty-note="' + index + '"]');
      if (note) {
        note.hidden = n > 0;
      }
    });
  }

  function move(card, index, refocus) {
    var list = board.querySelector('[data-group-list="' + index + '"]');
    if (!card || !list) {
      return;
    }
    var select = card.querySelector("select[data-move]");
    list.appendChild(card);
    select.value = String(index);
    refresh();
    live.textContent = interpolate(gettext("%(student)s moved to %(group)s."),
                                   {student: card.getAttribute("data-name"), group: nameOf(index)}, true);
    if (refocus) {
      select.focus(); // moving the card in the page takes the focus away from its select
    }
  }

  board.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches("select[data-move]")) {
      move(select.closest("[data-student]"), select.value, true);
    }
  });

  // A renamed group is renamed in every student's list too.
  board.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches("[data-group-name]")) {
      return;
    }
    var index = input.getAttribute("data-group-name");
    board.querySelectorAll('option[data-option-group="' + index + '"]').forEach(function (o) {
      o.textContent = nameOf(index);
    });
  });

  // Dragging: the card carries its student's id; the group it is dropped on takes it.
  board.querySelectorAll("[data-student]").forEach(function (card) {
    card.setAttribute("draggable", "true");
  });
  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-student]");
    if (!card) {
      return;
    }
    event.dataTransfer.setData("text/plain", card.getAttribute("data-student"));
    event.dataTransfer.effectAllowed = "move";
    card.classList.add("dragging");
  });
  board.addEventListener("dragend", function (event) {
    var card = event.target.closest && event.target.closest("[data-student]");
    if (card) {
      card.classList.remove("dragging");
    }
    board.querySelectorAll(".drop-target").forEach(function (g) {
      g.classList.remove("drop-target");
    });
  });
  board.addEventListener("dragover", function (event) {
    var group = event.target.closest && event.target.closest("[data-group-drop]");
    if (group) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      group.classList.add("drop-target");
    }
  });
  board.addEventListener("dragleave", function (event) {
    var group = event.target.closest && event.target.closest("[data-group-drop]");
    if (group && !group.contains(event.relatedTarget)) {
      group.classList.remove("drop-target");
    }
  });
  board.addEventListener("drop", function (event) {
    var group = event.target.closest && event.target.closest("[data-group-drop]");
    if (!group) {
      return;
    }
    event.preventDefault();
    group.classList.remove("drop-target");
    var id = event.dataTransfer.getData("text/plain");
    var card = board.querySelector('[data-student="' + id + '"]');
    move(card, group.getAttribute("data-group-drop"), false);
  });

  refresh();
  var errors = document.getElementById("groups-errors");
  if (errors) {
    errors.focus();
  }
})();
