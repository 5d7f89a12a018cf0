"""Lossless edits of an agent file's frontmatter (repair of invalid frontmatter is
app/io/repair.py's job, writing the result to disk app/io/atomic.py's).

How an edit keeps every other byte:
1. ruamel.yaml (round-trip mode) loads the frontmatter and the edits are made on its tree, so
   lists change in place and new keys land at the end of their mapping;
2. the edited tree is dumped, and so is the unedited tree (the "baseline");
3. a three-way line merge takes the original lines wherever the edited dump equals the baseline,
   and the dumped lines only where the edit changed something. ruamel's own normalisations
   (`[ a ]` → `[a]`, `~` → ``, re-indented lists…) therefore never reach the file;
4. the result is re-parsed with libyaml and must equal the expected data exactly, else EditError.
The body is spliced back untouched (`replace_frontmatter`).
"""

from __future__ import annotations

import copy
import difflib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from app.io.document import parse_document, replace_frontmatter
from app.io.reader import claude_code_text, read_frontmatter

__all__ = [
    "DeleteKey",
    "EditError",
    "SetValue",
    "apply_edits",
]


@dataclass(frozen=True)
class SetValue:
    path: tuple[str, ...]  # ("model",) or ("coordination", "hands_off_to")
    value: Any


@dataclass(frozen=True)
class DeleteKey:
    path: tuple[str, ...]


class EditError(Exception):
    """Plain-English reason an edit cannot be made; the text is left unchanged."""


# ---------------------------------------------------------------------------------------------
# the expected result, on plain data


def _expected(data: dict, edits: Sequence[SetValue | DeleteKey]) -> dict:
    out = copy.deepcopy(data)
    for edit in edits:
        if not edit.path:
            raise EditError("An edit needs the name of a field.")
        parent = out
        for i, key in enumerate(edit.path[:-1]):
            child = parent.get(key)
            if isinstance(edit, DeleteKey) and not isinstance(child, dict):
                break  # nothing there to delete
            if child is None:
                child = parent[key] = {}
            elif not isinstance(child, dict):
                raise EditError(f'"{".".join(edit.path[: i + 1])}" is not a group of fields, so '
                                f'"{".".join(edit.path)}" cannot be set.')
            parent = child
        else:
            if isinstance(edit, SetValue):
                parent[edit.path[-1]] = copy.deepcopy(edit.value)
            else:
                parent.pop(edit.path[-1], None)
    return out


# ---------------------------------------------------------------------------------------------
# the ruamel side


_WIDTH = 1 << 30
_BLOCK_KEY = re.compile(r"^( *)(?:- +)?[^\s#-][^\n]*?: *(?:#.*)?$")
_RESOLVER = yaml.resolver.Resolver()


def _yaml(mapping: int, sequence: int, offset: int) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = _WIDTH
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    return y


def _indent_guess(lines: list[str]) -> tuple[int, int, int]:
    """(mapping, sequence, offset) as this frontmatter writes nested blocks."""
    mapping = None
    offset = None
    for i in range(len(lines) - 1):
        m = _BLOCK_KEY.match(lines[i])
        if not m:
            continue
        nxt = lines[i + 1]
        stripped = nxt.lstrip(" ")
        if not stripped:
            continue
        depth = len(nxt) - len(stripped) - len(m.group(1))
        if stripped.startswith("- ") or stripped == "-":
            if offset is None and depth >= 0:
                offset = depth
        elif mapping is None and depth > 0:
            mapping = depth
        if mapping is not None and offset is not None:
            break
    mapping = mapping or 2
    offset = 2 if offset is None else offset
    return mapping, offset + 2, offset


def _dump(y: YAML, tree: Any) -> str:
    buf = io.StringIO()
    y.dump(tree, buf)
    return buf.getvalue()


def _scalar_lists(node: Any, deep: bool) -> list[CommentedSeq]:
    found = []
    stack = list(node.values()) if isinstance(node, CommentedMap) else []
    while stack:
        item = stack.pop()
        if isinstance(item, CommentedSeq):
            if all(not isinstance(v, (dict, list)) for v in item):
                found.append(item)
            if deep:
                stack.extend(item)
        elif isinstance(item, CommentedMap) and deep:
            stack.extend(item.values())
    return found


def _prefers_flow(tree: CommentedMap, parent: CommentedMap) -> bool:
    """A new list of names follows its neighbours, then the file: `[a, b]` unless blocks dominate."""
    for lists in (_scalar_lists(parent, deep=False), _scalar_lists(tree, deep=True)):
        lists = [s for s in lists if len(s)]  # `[]` says nothing: empty lists are always written so
        flow = sum(1 for s in lists if s.fa.flow_style())
        block = len(lists) - flow
        if flow != block:
            return flow > block
    return True


def _needs_quotes_for_libyaml(value: str) -> bool:
    # ruamel writes YAML 1.2, libyaml reads 1.1: `yes`, `on`, `1_000`, `2024-01-01`… must be quoted.
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str"


# Characters YAML may not hold raw (libyaml refuses them): they need a double-quoted escape.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _node(value: Any, flow: bool, like: Any = None, quote: bool = False) -> Any:
    """A ruamel value for plain `value`, in the style of `like` (the value it replaces) when given.

    quote=True double-quotes every string: the last resort, which always reads back exactly.
    """
    if isinstance(value, str):
        if quote or _NOT_PRINTABLE.search(value) or "\a" in value:
            # "\a" is ruamel's internal fold marker: it breaks every style but double quotes.
            return DoubleQuotedScalarString(value)
        if isinstance(like, (SingleQuotedScalarString, DoubleQuotedScalarString)):
            return type(like)(value)
        if isinstance(like, (LiteralScalarString, FoldedScalarString)):
            return type(like)(value)
        if "\n" in value.rstrip("\n"):
            return LiteralScalarString(value)
        if value and _needs_quotes_for_libyaml(value):
            return SingleQuotedScalarString(value)
        return value
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _node(v, flow, quote=quote)
        return m
    if isinstance(value, (list, tuple)):
        s = CommentedSeq(_node(v, flow, quote=quote) for v in value)
        nested = any(isinstance(v, (dict, list, tuple)) for v in value)
        s.fa.set_flow_style() if (flow and not nested) else s.fa.set_block_style()
        return s
    return value


def _update_seq(seq: CommentedSeq, new: list, flow: bool, quote: bool) -> None:
    """Change `seq` into `new` in place: removed items lose their line, added ones gain one."""
    old = list(seq)
    if not old:
        # An empty list is written `[]` whatever style ruamel recorded for it: the new items take
        # the style of the file's other lists, as a new list would.
        nested = any(isinstance(v, (dict, list, tuple)) for v in new)
        seq.fa.set_flow_style() if (flow and not nested) else seq.fa.set_block_style()
    ops = difflib.SequenceMatcher(None, [repr(v) for v in old], [repr(v) for v in new], autojunk=False)
    for tag, i1, i2, j1, j2 in reversed(ops.get_opcodes()):
        if tag == "equal":
            continue
        for _ in range(i2 - i1):
            del seq[i1]
        for k, v in enumerate(new[j1:j2]):
            seq.insert(i1 + k, _node(v, flow, quote=quote))


def _apply_to_tree(tree: CommentedMap, edits: Sequence[SetValue | DeleteKey], style: str) -> None:
    """style: "keep" the replaced value's quotes or block style, "auto" (ruamel decides), "quote"."""
    keep_style = style == "keep"
    quote = style == "quote"
    for edit in edits:
        parent = tree
        for key in edit.path[:-1]:
            child = parent.get(key)
            if not isinstance(child, CommentedMap):
                if isinstance(edit, DeleteKey):
                    break
                child = CommentedMap()
                parent[key] = child
            parent = child
        else:
            key = edit.path[-1]
            if isinstance(edit, DeleteKey):
                if key in parent:
                    del parent[key]
                continue
            value = edit.value
            flow = _prefers_flow(tree, parent)
            current = parent.get(key)
            if key in parent and _same(current, value):
                continue
            if isinstance(current, CommentedSeq) and isinstance(value, (list, tuple)):
                _update_seq(current, list(value), flow, quote)
            elif isinstance(current, CommentedMap) and isinstance(value, dict):
                for k in [k for k in current if k not in value]:
                    del current[k]
                for k, v in value.items():
                    sub = current.get(k)
                    if k in current and _same(sub, v):
                        continue
                    if isinstance(sub, CommentedSeq) and isinstance(v, (list, tuple)):
                        _update_seq(sub, list(v), flow, quote)
                    else:
                        current[k] = _node(v, flow, like=sub if keep_style else None, quote=quote)
            else:
                parent[key] = _node(value, flow, like=current if keep_style else None, quote=quote)


def _same(ruamel_value: Any, value: Any) -> bool:
    try:
        return _plain(ruamel_value) == value and type(_plain(ruamel_value)) is type(value)
    except Exception:  # noqa: BLE001 - odd values simply count as different
        return False


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, str):
        return str(v)
    return v


# ---------------------------------------------------------------------------------------------
# the three-way line merge


def _is_quiet(line: str) -> bool:
    s = line.strip()
    return not s or s.startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _continues(line: str, following: str) -> bool:
    """Whether `following` (as ruamel wrote it) can belong to the value of `line`."""
    a, b = _indent(line), _indent(following)
    return b > a or (b == a and following.lstrip(" ").startswith("-"))


def _merge(original: list[str], baseline: list[str], edited: list[str], move_insertions: bool) -> list[str]:
    """Original lines where edited == baseline, edited lines where the edit changed something."""
    ob = difflib.SequenceMatcher(None, baseline, original, autojunk=False).get_opcodes()
    bn = difflib.SequenceMatcher(None, baseline, edited, autojunk=False).get_opcodes()

    def cuts_and_maps(ops):
        # For each baseline position p: the other side's position before and after any lines
        # inserted at p; and the positions strictly inside a changed block (no clean cut there).
        inside: set[int] = set()
        before: dict[int, int] = {0: 0}
        after: dict[int, int] = {0: 0}
        for tag, i1, i2, j1, j2 in ops:
            if tag == "insert":
                before[i1], after[i1] = j1, j2
                continue
            before.setdefault(i1, j1)
            after.setdefault(i1, j1)
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                # Equal-length replacements pair line by line: `[ a ]` vs `[a]` is one line each.
                for k in range(1, i2 - i1):
                    before[i1 + k] = after[i1 + k] = j1 + k
            else:
                inside.update(range(i1 + 1, i2))
            before[i2] = after[i2] = j2
        return inside, before, after

    o_inside, o_before, o_after = cuts_and_maps(ob)
    n_inside, n_before, n_after = cuts_and_maps(bn)
    cuts = [p for p in range(len(baseline) + 1) if p not in o_inside and p not in n_inside]
    out: list[tuple[str, str]] = []  # (line, kind): kind "orig", "new" or "ins"

    def emit_insertions(p: int) -> None:
        # Lines only the original has (what ruamel dropped, e.g. the comment of an empty
        # frontmatter) stay first at the top, after the new lines anywhere else.
        new = [(line, "ins") for line in edited[n_before[p] : n_after[p]]]
        kept = [(line, "orig") for line in original[o_before[p] : o_after[p]]]
        out.extend(kept + new if p == 0 else new + kept)

    for idx, p in enumerate(cuts):
        emit_insertions(p)
        if idx + 1 == len(cuts):
            break
        q = cuts[idx + 1]
        o_chunk = original[o_after[p] : o_before[q]]
        n_chunk = edited[n_after[p] : n_before[q]]
        if n_chunk == baseline[p:q]:
            nxt = n_before[q]
            followed_by_new = nxt < len(edited) and (
                nxt < n_after[q] or q >= len(baseline) or edited[nxt] != baseline[q])
            if o_chunk != n_chunk and followed_by_new and _continues(n_chunk[-1], edited[nxt]):
                # New lines follow a line ruamel wrote differently (`model: null` vs `model:`)
                # and continue its value, so that line takes ruamel's form too.
                out.extend((line, "new") for line in n_chunk)
            else:
                out.extend((line, "orig") for line in o_chunk)
        elif not n_chunk:
            # A deletion keeps the comments and blank lines that trail it: they describe what follows.
            keep: list[str] = []
            first = next((ln for ln in o_chunk if not _is_quiet(ln)), None)
            limit = _indent(first) if first is not None else 0
            for line in reversed(o_chunk):
                if _is_quiet(line) and (not line.strip() or _indent(line) <= limit):
                    keep.append(line)
                else:
                    break
            out.extend((line, "orig") for line in reversed(keep))
        else:
            out.extend((line, "new") for line in n_chunk)

    if move_insertions:
        # New lines go before the blank lines and comments that end the block they join.
        i = 0
        while i < len(out):
            if out[i][1] != "ins":
                i += 1
                continue
            j = i
            while j < len(out) and out[j][1] == "ins":
                j += 1
            k = i
            while k > 0 and out[k - 1][1] == "orig" and _is_quiet(out[k - 1][0]):
                k -= 1
            if k < i and k > 0:
                out[k:j] = out[i:j] + out[k:i]
            i = j
    return [line for line, _ in out]


# ---------------------------------------------------------------------------------------------
# apply_edits


def _refuse_invalid(text: str, action: str):
    doc = parse_document(text)
    if doc.frontmatter is None:
        if doc.unterminated:
            raise EditError(f"Cannot {action}: the frontmatter starts with '---' but is never closed "
                            "by a second '---' line.")
        raise EditError(f"Cannot {action}: the file has no frontmatter (it does not start with a '---' line).")
    return doc


def apply_edits(text: str, edits: Sequence[SetValue | DeleteKey]) -> str:
    """Whole file text in, whole file text out; only the lines of what changed differ.

    A file Claude Code reads only through its fallback (reader.claude_code_text) stays that way:
    the edit is made on the fallback's standard text, whose unchanged lines then go back to the
    original ones, the unquoted values included.
    """
    doc = _refuse_invalid(text, "edit this file")
    fm = read_frontmatter(doc.frontmatter, doc.frontmatter_line)
    if fm.error is not None:
        where = f" (line {fm.error.line})" if fm.error.line else ""
        raise EditError(f"This file cannot be edited until its frontmatter is fixed{where}: {fm.error.message}")
    for edit in edits:
        if not isinstance(edit, (SetValue, DeleteKey)):
            raise EditError(f"Unknown kind of edit: {edit!r}")
        if not edit.path or not all(isinstance(k, str) and k for k in edit.path):
            raise EditError(f"Not a field name: {'.'.join(map(str, edit.path))!r}")
    assert fm.data is not None  # no error, so the frontmatter was read
    expected = _expected(fm.data, edits)
    if expected == fm.data and _types_equal(expected, fm.data):
        return text
    if fm.lenient:
        return _edit_lenient(text, doc.frontmatter, edits, expected, doc.body)
    return _edit_standard(text, doc.frontmatter, edits, expected, doc.body)


def _edit_standard(text: str, frontmatter: str, edits: Sequence[SetValue | DeleteKey], expected: dict,
                   body: str, plain: frozenset[str] = frozenset()) -> str:
    """plain: top-level keys whose quotes are not the author's (Claude Code's fallback added them):
    a new value there is written as if the old one were plain."""
    original = frontmatter.splitlines(keepends=True)
    reasons = []
    # First keep each changed value's style (quotes, | or >); when a value cannot be written in
    # that style, let ruamel choose; as a last resort double-quote every new string.
    for style in ("keep", "auto", "quote"):
        try:
            baseline, edited = _ruamel_edit(frontmatter, original, edits, style, plain)
        except EditError:
            raise
        except Exception as e:  # noqa: BLE001 - ruamel's emitter refuses some values in some styles
            reasons.append(_first_line(e))
            continue
        for move in (True, False):
            new_fm = "".join(_merge(original, baseline, edited, move_insertions=move))
            problem = _verify(replace_frontmatter(text, new_fm), expected, body, lenient=False)
            if problem is None:
                return replace_frontmatter(text, new_fm)
            reasons.append(problem)
    raise EditError(f"The edit could not be written without changing something else ({reasons[-1]}); "
                    "the file was left as it was.")


def _edit_lenient(text: str, frontmatter: str, edits: Sequence[SetValue | DeleteKey], expected: dict,
                  body: str) -> str:
    problem = ""
    # The fallback's text with single quotes reads best where an edit rewrites a quoted line;
    # Claude Code's own double-quoted text is the second try.
    for single in (True, False):
        standard = claude_code_text(frontmatter, single_quotes=single)
        assert standard is not None  # the file was read through the fallback, which changed lines
        original = frontmatter.split("\n")
        quoted = standard.split("\n")
        assert len(original) == len(quoted)  # the fallback rewrites lines one for one
        try:
            plain = frozenset(q.split(":", 1)[0] for o, q in zip(original, quoted)
                              if o != q and q[:1] not in (" ", ""))
            edited = parse_document(_edit_standard(replace_frontmatter(text, standard), standard, edits,
                                                   expected, body, plain)).frontmatter
        except EditError as e:
            problem = str(e)
            continue
        assert edited is not None  # _edit_standard verified the fences
        new_lines = edited.split("\n")
        lines: list[str] = []
        ops = difflib.SequenceMatcher(None, quoted, new_lines, autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in ops:
            lines += original[i1:i2] if tag == "equal" else new_lines[j1:j2]
        result = replace_frontmatter(text, "\n".join(lines))
        problem = _verify(result, expected, body, lenient=True) or ""
        if not problem:
            return result
    raise EditError(f"The edit could not be written without changing the lines Claude Code reads "
                    f"leniently ({problem}); the file was left as it was. Repair makes it standard "
                    "YAML, which can then be edited.")


def _ruamel_edit(frontmatter: str, original: list[str], edits, style: str,
                 plain: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    guess = _indent_guess([ln.rstrip("\n") for ln in original])
    layouts = ((2, 2, 0), (2, 4, 2), (4, 4, 2), (4, 4, 0), (4, 2, 0), (4, 6, 4), (2, 4, 0), (2, 3, 1))
    candidates = [guess] + [c for c in layouts if c != guess]
    best = None
    for m, s, o in candidates:
        y = _yaml(m, s, o)
        try:
            tree = y.load(frontmatter)
        except Exception as e:  # noqa: BLE001 - ruamel is stricter than libyaml in a few places
            raise EditError(f"The frontmatter cannot be edited safely: {_first_line(e)}") from None
        if tree is None:
            tree = CommentedMap()
        if not isinstance(tree, CommentedMap):
            raise EditError("The frontmatter is not a set of \"key: value\" lines.")
        _keep_anchors(tree)
        baseline = _dump(y, tree) if len(tree) else ""
        distance = sum(1 for a, b in zip(baseline.splitlines(), frontmatter.splitlines()) if a != b) + abs(
            baseline.count("\n") - frontmatter.count("\n"))
        # The mapping indent seen in the file wins over fewer differing lines: new keys of a
        # nested mapping must line up with their siblings.
        score = (m != guess[0], distance)
        if best is None or score < best[0]:
            best = (score, y, tree, baseline)
        if distance == 0:
            break
    assert best is not None  # the candidate list is never empty
    _, y, tree, baseline = best
    for key in plain & {edit.path[0] for edit in edits if len(edit.path) == 1}:
        if isinstance(tree.get(key), str):
            # After the baseline: only the edited line is written anew. (Assigning would keep the
            # quotes: ruamel gives a new value the style of the one it replaces.)
            index = list(tree).index(key)
            tree.insert(index, key, str(tree.pop(key)))
    _apply_to_tree(tree, edits, style)
    edited = _dump(y, tree) if len(tree) else ""
    return baseline.splitlines(keepends=True), edited.splitlines(keepends=True)


def _keep_anchors(tree: CommentedMap) -> None:
    """Make ruamel write every anchor (`&b`), also those no alias uses: it drops unused ones, and a
    line an edit rewrites would lose its anchor."""
    stack: list[Any] = [tree]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        anchor = node.yaml_anchor() if hasattr(node, "yaml_anchor") else None
        if anchor is not None and anchor.value:
            node.yaml_set_anchor(anchor.value, always_dump=True)
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _first_line(e: Exception) -> str:
    return str(e).strip().split("\n")[0]


def _types_equal(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_types_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_types_equal(x, y) for x, y in zip(a, b))
    return True


def _verify(new_text: str, expected: dict, body: str, *, lenient: bool) -> str | None:
    doc = parse_document(new_text)
    if doc.frontmatter is None:
        return "the frontmatter fences were damaged"
    if doc.body != body:
        return "the body would change"
    fm = read_frontmatter(doc.frontmatter, doc.frontmatter_line, lenient=lenient)
    if fm.error is not None:
        return fm.error.message
    if fm.data != expected or not _types_equal(fm.data, expected):
        return "the result would not read back as the values that were set"
    return None
