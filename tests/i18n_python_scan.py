"""Find words shown to staff that Python code hands over without marking them for translation.

It reads a module with `ast` and looks only where Django and DRF show a string to a person:
the message of `messages.*()` and `form.add_error()`, of a `ValidationError` (and the
validation messages collected for one in `errors[...]`) (Django's or DRF's) and of DRF's
refusals (`PermissionDenied`, `NotFound`, ...), the words of a profile card, settings page
or importer registered in the roster's slots, a field's or form's `label=`, `help_text=`,
`verbose_name=`, `empty_label=` and `error_messages=`, a model field's positional verbose
name, `class Meta: verbose_name` and a ModelForm's `labels` / `help_texts`, an admin `description=` / `short_description`, the
dashboards' table captions, notes, column headings, "no data" reasons and equity step and
group labels, and the labels of `TextChoices` / `IntegerChoices` and of `choices=[...]` lists.

A string counts as marked when it is the argument of a gettext function (`_`, `gettext`,
`gettext_lazy`, `ngettext`, `pgettext`, `format_lazy`, ...), also when a marked string is
then formatted with `%` or `.format()`. Text with no letter (a dash, a number) is not
reported. Names it cannot see through (a variable, another call) are trusted: the scan
catches the literal typed in place, which is how a new unmarked string usually arrives.
"""

from __future__ import annotations

import ast
import re

LETTER = re.compile(r"[^\W\d_]")
MARKERS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "format_lazy",
    # Marked where written, translated where shown (module-level labels that reach pandas,
    # plotly or JSON, where a lazy string would break).
    "gettext_noop",
}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}
# Exceptions whose first argument is shown: Django's and DRF's ValidationError, and DRF's
# refusals (their `detail` is the API's error message).
SHOWN_EXCEPTIONS = {
    "ValidationError",
    "PermissionDenied",
    "NotFound",
    "ParseError",
    "APIException",
    "AuthenticationFailed",
    "NotAuthenticated",
    "MethodNotAllowed",
    # The project's business refusal (mtss/errors.py): its message is the API's `detail` and
    # the pages' error message.
    "ApplicationError",
}
SHOWN_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
SHOWN_ATTRIBUTES = {"short_description", "verbose_name", "verbose_name_plural"}
# A ModelForm's Meta: {"field": "Label"}.
SHOWN_META_DICTS = {"labels", "help_texts", "error_messages"}
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}
# The roster's slots (students/slots.py) whose words the pages show: a profile card's title
# and empty text, a settings page's title and description, an importer's label and help.
SLOT_ENTRIES = {"ProfileCard", "SettingsPage", "Importer"}
SLOT_WORDS = {"title", "description", "empty_text", "label", "help"}
# The dashboards' words (dashboards/): a table's column headings and caption, and the equity
# pipeline's step and group labels, by position (keywords in brackets).
DASHBOARD_WORDS: dict[str, tuple[tuple[int, str], ...]] = {
    "Column": ((1, "msgid"),),
    "Table": ((1, "caption"),),
    "Step": ((1, "msgid"), (2, "eligible_msgid"), (3, "outcome_msgid")),
    "GroupSpec": ((2, "msgid"),),
    "Dimension": ((1, "msgid"),),
}
# Attributes whose value a dashboard page shows: a table's note.
DASHBOARD_ATTRIBUTES = {"note"}
# Model fields whose first positional argument is another model, not the verbose name.
RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def unmarked_strings(node: ast.AST | None) -> list[ast.AST]:
    """The literal pieces of an expression that would reach a person untranslated."""
    if node is None:
        return []
    if isinstance(node, ast.Constant):
        has_words = isinstance(node.value, str) and LETTER.search(node.value)
        return [node] if has_words else []
    if isinstance(node, ast.JoinedStr):
        words = [v for v in node.values if isinstance(v, ast.Constant)]
        return [node] if any(LETTER.search(str(v.value)) for v in words) else []
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Mod):  # "text %(x)s" % {...}: only the format is shown
            return unmarked_strings(node.left)
        return unmarked_strings(node.left) + unmarked_strings(node.right)
    if isinstance(node, ast.Call):
        if _name(node.func) in MARKERS:
            return []
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return unmarked_strings(node.func.value)
        return []
    if isinstance(node, ast.Dict):
        return [found for value in node.values for found in unmarked_strings(value)]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [found for item in node.elts for found in unmarked_strings(item)]
    if isinstance(node, ast.IfExp):
        return unmarked_strings(node.body) + unmarked_strings(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [found for value in node.values for found in unmarked_strings(value)]
    return []


def _argument(call: ast.Call, position: int, *keywords: str) -> ast.AST | None:
    for keyword in call.keywords:
        if keyword.arg in keywords:
            return keyword.value
    return call.args[position] if len(call.args) > position else None


def _choice_labels(node: ast.AST) -> list[ast.AST]:
    """The labels of a literal choices list: [("value", "Label"), ...]."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # [("", "Any")] + [...]
        return _choice_labels(node.left) + _choice_labels(node.right)
    if not isinstance(node, (ast.List, ast.Tuple)):
        return []
    labels = []
    for item in node.elts:
        if isinstance(item, ast.Tuple) and len(item.elts) == 2:
            value, label = item.elts
            if isinstance(label, (ast.List, ast.Tuple)):  # a named group of choices
                labels += unmarked_strings(value) + _choice_labels(label)
            else:
                labels += unmarked_strings(label)
    return labels


def _is_errors(node: ast.AST) -> bool:
    """A collection of validation messages: `errors`, `errors["f"]`, `errors.setdefault(...)`."""
    if isinstance(node, ast.Subscript):
        node = node.value
    elif isinstance(node, ast.Call) and _name(node.func) == "setdefault":
        node = node.func.value
    return _name(node).endswith("errors")


def _call_findings(call: ast.Call) -> list[ast.AST]:
    func = _name(call.func)
    owner = _name(call.func.value) if isinstance(call.func, ast.Attribute) else ""
    found = []
    if owner == "messages" and func in MESSAGE_LEVELS:
        found += unmarked_strings(_argument(call, 1, "message"))
    elif owner == "messages" and func == "add_message":
        found += unmarked_strings(_argument(call, 2, "message"))
    if func == "append" and _is_errors(call.func.value):  # errors["f"].append("message")
        found += unmarked_strings(_argument(call, 0))
    if func == "add_error":  # form.add_error(field, "message")
        found += unmarked_strings(_argument(call, 1, "error"))
    if func in SHOWN_EXCEPTIONS:
        found += unmarked_strings(_argument(call, 0, "message", "detail"))
    if func in ("display", "action") and owner in ("admin", ""):
        found += unmarked_strings(_argument(call, 99, "description"))
    if func.endswith("Field") and owner == "models" and func not in RELATION_FIELDS:
        found += unmarked_strings(_argument(call, 0, "verbose_name"))
    for position, keyword_name in DASHBOARD_WORDS.get(func, ()):
        found += unmarked_strings(_argument(call, position, keyword_name))
    if func in SLOT_ENTRIES:
        for keyword in call.keywords:
            if keyword.arg in SLOT_WORDS:
                found += unmarked_strings(keyword.value)
    for keyword in call.keywords:
        # A serializer field's label and help_text document the API for the people who
        # program against it (the OpenAPI schema), in English like the rest of the API
        # reference; its error messages are answers a user may read, so they are checked.
        if (
            keyword.arg in SHOWN_KEYWORDS
            and not (owner == "serializers" or func.endswith("Serializer"))
            or keyword.arg == "error_messages"
        ):
            found += unmarked_strings(keyword.value)
        elif keyword.arg == "choices":
            found += _choice_labels(keyword.value)
    return found


def _shows_its_value(target: ast.AST, value: ast.AST) -> bool:
    """`errors["f"] = [...]`, `short_description = ...`, `labels = {...}` in a Meta."""
    if isinstance(target, ast.Subscript):
        # errors["f"] = [...]; a dashboard panel's reason for showing nothing
        return _is_errors(target) or _name(target.value) == "empty"
    if _name(target) in SHOWN_ATTRIBUTES or (
        isinstance(target, ast.Attribute) and target.attr in DASHBOARD_ATTRIBUTES
    ):
        return True
    return _name(target) in SHOWN_META_DICTS and isinstance(value, ast.Dict)


def _assignment_findings(node: ast.Assign, in_choices: bool) -> list[ast.AST]:
    found = []
    for target in node.targets:
        if _shows_its_value(target, node.value):
            found += unmarked_strings(node.value)
        elif _name(target) == "choices":  # self.fields["f"].choices = [("", "Any"), ...]
            found += _choice_labels(node.value)
        elif (
            in_choices
            and isinstance(target, ast.Name)
            and target.id.isupper()
            and isinstance(node.value, ast.Tuple)
            and len(node.value.elts) >= 2
        ):
            # MEMBER = "value", "Label": the label is the last item.
            found += unmarked_strings(node.value.elts[-1])
    return found


def unmarked_nodes(tree: ast.AST) -> list[ast.AST]:
    """The shown string literals of a parsed module that are not marked for translation."""
    choices_bodies = {
        id(statement)
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef) and {_name(b) for b in cls.bases} & CHOICES_BASES
        for statement in cls.body
    }
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            found += _call_findings(node)
        elif isinstance(node, ast.Assign):
            found += _assignment_findings(node, id(node) in choices_bodies)
    return list({id(n): n for n in found}.values())


def unmarked_in_source(source: str) -> list[tuple[int, str]]:
    """The (line, text) of every shown string literal that is not marked for translation."""
    return sorted((n.lineno, ast.unparse(n)) for n in unmarked_nodes(ast.parse(source)))
