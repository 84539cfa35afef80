"""Find visible text in a Django template that is not inside a translation tag.

A small scanner rather than a full HTML parser: it splits the source with the template
engine's own tag pattern, then walks the text between tags one character at a time,
knowing only what it must to tell visible text from everything else (inside an HTML tag,
an HTML comment, <script> or <style>, a {% comment %} or an existing {% blocktranslate %}).
Visible text is a run of text and {{ variables }} between HTML tags and template block
tags; it is reported when its text (variables left out, entities decoded) has a letter.
The attributes people read (aria-label, title, placeholder, alt) are checked the same way.
"""

import html
import re

from django.template.base import tag_re

LETTER = re.compile(r"[^\W\d_]")
READ_ATTRIBUTES = re.compile(r'\s(aria-label|title|placeholder|alt)="([^"]*)"')
# Words handed to an included template ({% include "x.html" with caption="..." %}) are shown
# by it; they go in as _("...").
INCLUDE_WORDS = re.compile(r'\b(label|help|caption|hint|title)="([^"]*)"')
# Template blocks whose content is not shown as text, or is already translated.
SKIPPED_BLOCKS = {
    "comment": "endcomment",
    "verbatim": "endverbatim",
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
}


def has_letters(text, allowed=()):
    text = html.unescape(text)
    for word in allowed:
        text = text.replace(word, "")
    return bool(LETTER.search(text))


def unmarked_text(source, allowed=()):
    """The (line, text) of every visible piece of text outside translation tags."""
    found = []
    state = "text"  # text | tag | raw (script/style) | comment (HTML)
    quote = raw_end = skip_end = None
    run, run_line, tag = [], 1, []
    line = 1

    def end_run():
        nonlocal run
        text = "".join(run)
        if has_letters(text, allowed):
            found.append((run_line, " ".join(text.split())))
        run = []

    def end_tag(text, at):
        for name, value in READ_ATTRIBUTES.findall(text):
            if "{" not in value and has_letters(value, allowed):
                found.append((at, f"{name}={value!r}"))

    for index, piece in enumerate(tag_re.split(source)):
        if index % 2:  # a template tag, variable or comment
            if skip_end:
                skip_end = None if piece[2:-2].split()[:1] == [skip_end] else skip_end
            elif state == "tag":
                tag.append(piece)
            elif state == "text" and not piece.startswith("{{"):
                end_run()
                word = piece[2:-2].split()[:1]
                if word in (["include"], ["with"]):
                    for name, value in INCLUDE_WORDS.findall(piece):
                        if has_letters(value, allowed):
                            found.append((line, f"{name}={value!r}"))
                if piece.startswith("{%") and word and word[0] in SKIPPED_BLOCKS:
                    skip_end = SKIPPED_BLOCKS[word[0]]
            line += piece.count("\n")
            continue
        if skip_end:
            line += piece.count("\n")
            continue
        i = 0
        while i < len(piece):
            char = piece[i]
            if state == "text":
                if (
                    char == "<"
                    and piece[i + 1 : i + 2].isalpha()
                    or piece.startswith(("</", "<!"), i)
                ):
                    end_run()
                    if piece.startswith("<!--", i):
                        state, i = "comment", i + 4
                        continue
                    state, tag, quote = "tag", [], None
                else:
                    if not "".join(run).strip():
                        run_line = line  # where the text itself starts
                    run.append(char)
            elif state == "tag":
                tag.append(char)
                if quote:
                    quote = None if char == quote else quote
                elif char in "\"'":
                    quote = char
                elif char == ">":
                    text = "".join(tag)
                    end_tag(text, line)
                    opened = re.match(r"(script|style)\b", text, re.IGNORECASE)
                    state = "raw" if opened else "text"
                    raw_end = f"</{opened.group(1).lower()}" if opened else None
            elif state == "raw" and piece[i:].lower().startswith(raw_end):
                state = "text"
                continue
            elif state == "comment" and piece.startswith("-->", i):
                state, i = "text", i + 3
                continue
            line += char == "\n"
            i += 1
    end_run()
    return found
