"""Repair: invalid (or only leniently readable) frontmatter → standard YAML with the same meaning.

Each value YAML rejects is quoted where it stands, every other line stays byte-identical and the
body is untouched; what quoting would change the meaning of (anchors, aliases, `!!` tags) is
refused rather than turned into text.
"""

from __future__ import annotations

import re

import yaml

from app.io.document import Document, parse_document, replace_frontmatter
from app.io.reader import YamlProblem, claude_code_text, read_frontmatter
from app.io.writer import EditError, _indent, _refuse_invalid, _types_equal

__all__ = ["repair"]



_KEY_LINE = re.compile(r"""^( *)((?:- +)*(?:"[^"\n]*"|'[^'\n]*'|[^\s#'"\[\]{}&*!|>%@`,?:-][^\n]*?|-[^\s\n][^\n]*?)) *: +(\S.*)$""")


def _single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _plain_value(m: re.Match | None) -> bool:
    return m is not None and not m.group(3).startswith(("\"", "'", "[", "{", "|", ">", "#"))


def _key_column(m: re.Match) -> int:
    """Column of the key itself: `  - command: x` has its key at column 4."""
    dash = re.match(r"(?:- +)+", m.group(2))
    return len(m.group(1)) + (dash.end() if dash else 0)


def _scalar_owner(lines: list[str], index: int) -> int | None:
    """The line whose key starts the plain value that line `index` is part of (maybe itself)."""
    indent = _indent(lines[index])
    for j in range(index - 1, -1, -1):
        above = lines[j]
        if not above.strip() or above.lstrip(" ").startswith("#"):
            continue
        m = _KEY_LINE.match(above.rstrip("\n"))
        if _indent(above) < indent:
            if m is None:  # more text of a value that started higher up
                indent = _indent(above)
                continue
            # A key with a value on its own line, continued below: the error line continues it.
            return j if _plain_value(m) and _key_column(m) < _indent(lines[index]) else (
                index if _KEY_LINE.match(lines[index].rstrip("\n")) else None)
        if m is not None:
            break  # a sibling key: the error line is a key line of its own
    return index if _KEY_LINE.match(lines[index].rstrip("\n")) else None


def _quote_scalar_at(lines: list[str], index: int) -> bool:
    """Quote the plain scalar that covers line `index`; True when a line was changed."""
    k = _scalar_owner(lines, index)
    if k is None:
        return False
    m = _KEY_LINE.match(lines[k].rstrip("\n"))
    if m is None or not _plain_value(m):
        return False
    value = m.group(3)
    key_indent = _key_column(m)
    # The value continues on following lines indented deeper than its key.
    end = k
    j = k + 1
    while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > key_indent):
        if lines[j].strip():
            end = j
        j += 1
    nl = "\n" if lines[k].endswith("\n") else ""
    if end == k:
        comment = ""
        if " #" in value:
            value, comment = value.split(" #", 1)
            comment = " #" + comment
        lines[k] = f"{m.group(1)}{m.group(2)}: {_single_quoted(value.rstrip())}{comment}{nl}"
        return True
    lines[k] = f"{m.group(1)}{m.group(2)}: '{value.replace(chr(39), chr(39) * 2)}{nl}"
    for j in range(k + 1, end + 1):
        lines[j] = lines[j].replace("'", "''")
    last = lines[end]
    body = last.rstrip("\n")
    lines[end] = body.rstrip() + "'" + last[len(body):]
    return True


def _yaml_meaning(frontmatter: str, first: int, last: int) -> str | None:
    """What YAML syntax with a meaning of its own the lines first..last (0-based) use, if any.

    Quoting `*star` (an alias never defined) or `!red` (an unknown local tag) keeps what the author
    meant: text. Quoting an anchor, an alias of a defined anchor (an alias bomb, a self-reference)
    or a `!!` tag (`!!python/object…`) would silently turn structure or a typed value into text.
    """
    anchors: set[str] = set()
    found: str | None = None
    try:
        for event in yaml.parse(frontmatter, Loader=yaml.SafeLoader):
            anchor = getattr(event, "anchor", None)
            tag = getattr(event, "tag", None)
            if event.start_mark is not None and first <= event.start_mark.line <= last:
                if isinstance(event, yaml.AliasEvent) and anchor in anchors or (
                        anchor is not None and not isinstance(event, yaml.AliasEvent)):
                    found = "anchors and aliases (& and *)"
                elif isinstance(tag, str) and tag.startswith("tag:yaml.org,2002:"):
                    found = found or "tags (!!…)"
            if anchor is not None and not isinstance(event, yaml.AliasEvent):
                anchors.add(anchor)
    except yaml.YAMLError:
        pass  # the events up to the syntax error are the ones that matter
    return found


def repair(text: str) -> str:
    """Invalid (or only leniently readable) frontmatter → standard YAML that means what the author
    meant.

    Quotes the unquoted values YAML rejects (typically `description: Use this: when…`); every
    other line stays byte-identical and the body is untouched. A file Claude Code reads through
    its fallback comes out meaning exactly what Claude Code reads (else it gets the fallback's
    own standard text). Returns the text unchanged when it is already standard YAML. Raises
    EditError when the problem is not one it can fix safely.
    """
    doc = _refuse_invalid(text, "repair this file")
    claude = read_frontmatter(doc.frontmatter, doc.frontmatter_line)
    if claude.error is None and not claude.lenient:
        return text
    try:
        repaired = _repair_by_quoting(text, doc)
    except EditError:
        if claude.error is not None:
            raise
        repaired = None
    if claude.error is None:
        if repaired is not None:
            fixed = parse_document(repaired)
            data = read_frontmatter(fixed.frontmatter or "", fixed.frontmatter_line, lenient=False).data
            if data == claude.data and _types_equal(data, claude.data):
                return repaired
        for single in (True, False):  # single quotes read best; Claude Code's own text is the last word
            standard = claude_code_text(doc.frontmatter, single_quotes=single)
            assert standard is not None  # read through the fallback, which changed lines
            data = read_frontmatter(standard, doc.frontmatter_line, lenient=False).data
            if single is False or (data == claude.data and _types_equal(data, claude.data)):
                return replace_frontmatter(text, standard)
    assert repaired is not None
    return repaired


def _repair_by_quoting(text: str, doc: Document) -> str:
    assert doc.frontmatter is not None  # _refuse_invalid made sure
    first = read_frontmatter(doc.frontmatter, doc.frontmatter_line, lenient=False)
    assert first.error is not None
    lines = doc.frontmatter.splitlines(keepends=True)
    problem: YamlProblem | None = first.error
    for _ in range(len(lines) + 1):
        attempt = read_frontmatter("".join(lines), doc.frontmatter_line, lenient=False)
        problem = attempt.error
        if problem is None:
            break
        if problem.line is None:
            break
        index = problem.line - doc.frontmatter_line
        if not (0 <= index < len(lines)):
            break
        owner = _scalar_owner(lines, index)
        meaning = _yaml_meaning("".join(lines), index if owner is None else owner, index)
        if meaning is not None:
            raise EditError(f"This frontmatter cannot be repaired automatically (line {problem.line}): "
                            f"{problem.message} Repair does not turn YAML {meaning} into plain text, which "
                            "would change what they mean; fix the line by hand.")
        if not _quote_scalar_at(lines, index):
            break
    if problem is not None:
        where = f" (line {problem.line})" if problem.line else ""
        raise EditError(f"This frontmatter cannot be repaired automatically{where}: {problem.message}")
    new_fm = "".join(lines)
    fixed = read_frontmatter(new_fm, doc.frontmatter_line, lenient=False)
    assert fixed.data is not None  # the loop above ended without a problem
    for key, value in first.recovered.items():
        if key == "coordination" or key not in fixed.data:
            continue
        got = fixed.data[key]
        if isinstance(value, str) and isinstance(got, str) and got.strip() != value.strip():
            raise EditError(f'Repairing would change the value of "{key}"; fix line by hand instead.')
    return replace_frontmatter(text, new_fm)
