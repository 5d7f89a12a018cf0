"""Frontmatter parsing (libyaml through PyYAML), Claude Code's lenient fallback, and recovery by
line scan when even that fails.

Claude Code is the reference reader: when its strict YAML parse fails it turns leading tabs into
spaces and tries again, then double-quotes the top-level `key: value` lines whose value contains
": " or starts with a character YAML reserves, and tries again (`claude_code_text`). A file that
loads that way is an agent like any other (`Frontmatter.lenient` says how it was read); only
what fails all three is invalid.

One load with PyYAML's C safe loader, whose mapping constructor also notices (for the cost of a
len()) when a mapping came out smaller than its key lines: a repeated key, which libyaml would
otherwise drop silently. Everything slower (finding the repeated key's lines, alias counting,
error wording, the recovery line scan) runs only when the text needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml


# libyaml's loader: every supported platform's PyYAML wheel has it (the pure-Python SafeLoader
# would make opening a big team ten times slower).
class _Loader(yaml.CSafeLoader):
    """The C safe loader, flagging mappings that lost keys to repetition."""

    repeated_keys = False

    def construct_mapping(self, node, deep=False):
        count = len(node.value)
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) < count:  # a repeated key, or a `<<` merge overriding keys (checked later)
            self.repeated_keys = True
        return mapping


# An alias bomb is a few lines that expand to billions of values. Real agent definitions use no
# aliases at all; allow honest reuse (a hook anchored and referenced a few times) and stop there.
MAX_EXPANDED_NODES = 10_000

RECOVERED_KEYS = ("name", "description", "model", "tools", "color")
COORDINATION_KEYS = ("hands_off_to", "receives_from", "parallel_with")


@dataclass(frozen=True)
class YamlProblem:
    message: str  # plain English
    line: int | None  # 1-based line in the FILE


@dataclass(frozen=True)
class Frontmatter:
    data: dict | None  # parsed mapping; None when invalid
    error: YamlProblem | None  # set when the YAML is invalid (incl. duplicate keys, non-mapping, alias bomb)
    recovered: dict = field(default_factory=dict)  # when invalid: what a line scan could read
    lenient: bool = False  # valid only through Claude Code's fallback (claude_code_text)


def read_frontmatter(frontmatter: str, first_line: int, *, lenient: bool = True) -> Frontmatter:
    """Parse frontmatter text ("\n" line endings); `first_line` = its first line's number in the file.

    When strict YAML fails on its syntax, the text is read as Claude Code reads it (lenient=False:
    strict YAML only). Repeated keys, a list instead of a mapping and alias bombs stay errors:
    the fallback only works around values that need quotes and tab indentation.
    """
    fm, syntax = _read_strict(frontmatter, first_line)
    if fm.error is None:
        return fm
    if syntax and lenient:
        for attempt_text in _claude_code_stages(frontmatter):
            attempt, _ = _read_strict(attempt_text, first_line)
            if attempt.error is None:
                return Frontmatter(attempt.data, None, {}, lenient=True)
    return Frontmatter(None, fm.error, recover(frontmatter))


# ---------------------------------------------------------------------------------------------
# Claude Code's fallback


# A top-level "key: value" line as Claude Code's fallback matches it (no indent, no list item).
_SIMPLE_LINE = re.compile(r"([a-zA-Z_-]+):[ \t]+(.+)")
# A plain value may not start with these: they mean flow collections, anchors, aliases, tags,
# comments, block scalars, directives, or are reserved.
_SPECIAL_FIRST = frozenset("{}[]*&#!|>%@`")
_LEADING_TABS = re.compile(r"^[ \t]*\t[ \t]*", re.MULTILINE)


def _tabs_to_spaces(frontmatter: str) -> str:
    return _LEADING_TABS.sub(lambda m: m.group(0).replace("\t", "  "), frontmatter)


def _quote_line(line: str, single: bool) -> str:
    m = _SIMPLE_LINE.fullmatch(line)
    if m is None:
        return line
    key, value = m.groups()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return line  # already quoted
    if ": " not in value and value[0] not in _SPECIAL_FIRST:
        return line
    if single:  # the same text: a single-quoted scalar has no escapes but ''
        return f"{key}: '{value.replace(chr(39), chr(39) * 2)}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{key}: "{escaped}"'


def _claude_code_stages(frontmatter: str, single: bool = False) -> list[str]:
    """The texts Claude Code's fallback tries, in order: tabs made spaces, then values quoted."""
    spaced = _tabs_to_spaces(frontmatter)
    quoted = "\n".join(_quote_line(line, single) for line in spaced.split("\n"))
    return [text for text in dict.fromkeys((spaced, quoted)) if text != frontmatter]


def claude_code_text(frontmatter: str, *, single_quotes: bool = False) -> str | None:
    """The frontmatter as Claude Code's fallback rewrites it before its last try (line for line:
    the same number of lines, each changed line standing for the original one), or None when
    the fallback changes nothing. single_quotes: the values it quotes in single quotes instead,
    which read as the same text (a backslash stays one backslash, easier to read in a file)."""
    stages = _claude_code_stages(frontmatter, single_quotes)
    return stages[-1] if stages else None


def _read_strict(frontmatter: str, first_line: int) -> tuple[Frontmatter, bool]:
    """(the strict reading, whether an error was one of YAML syntax). An invalid reading has
    nothing recovered yet: the fallback may still read the text."""
    try:
        data, repeated = _load(frontmatter, check_aliases="*" in frontmatter and "&" in frontmatter)
    except yaml.MarkedYAMLError as e:
        try:
            problem = _problem_from_yaml_error(frontmatter, first_line, e)
        except Exception:  # noqa: BLE001 - a message must never turn into a crash
            mark = e.problem_mark or e.context_mark
            line = first_line + mark.line if mark is not None else None
            problem = YamlProblem(f"The frontmatter is not valid YAML ({e.problem or e.context}).", line)
        return _invalid(frontmatter, problem), True
    except _AliasBomb as e:
        return _invalid(frontmatter, YamlProblem(str(e), first_line + e.line)), False
    except RecursionError:
        return _invalid(frontmatter, YamlProblem(
            "The frontmatter is nested too deeply to read (hundreds of levels of brackets or indents).",
            first_line)), False
    except Exception as e:  # noqa: BLE001 - untrusted input: any failure becomes a problem, never a crash
        return _invalid(frontmatter, YamlProblem(f"The frontmatter cannot be read as YAML: {e}", first_line)), False
    if data is None:  # empty, or only comments
        data = {}
    if not isinstance(data, dict):
        kind = "list" if isinstance(data, list) else "single value"
        return _invalid(frontmatter, YamlProblem(
            f'The frontmatter is a {kind}, not a set of "key: value" lines.', first_line)), False
    duplicate = _duplicate_key(frontmatter) if repeated else None
    if duplicate is not None:
        key, first, second = duplicate
        where = (f"on line {first_line + first}" if first == second
                 else f"on lines {first_line + first} and {first_line + second}")
        return _invalid(frontmatter, YamlProblem(
            f'The key "{key}" appears twice, {where}. Keep only one of them.', first_line + second)), False
    return Frontmatter(data, None, {}), False


def _invalid(frontmatter: str, problem: YamlProblem) -> Frontmatter:
    return Frontmatter(None, problem, {})


# ---------------------------------------------------------------------------------------------
# duplicate keys


def _duplicate_key(frontmatter: str) -> tuple[str, int, int] | None:
    """(dotted key, first line index, second line index) of a key repeated in one mapping."""
    # Rare path: walk the composed tree to name the key and its lines. `<<` merge keys are
    # skipped: keys they bring in may be overridden, that is what they are for.
    root = yaml.compose(frontmatter, Loader=_Loader)
    if root is None:
        return None
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    seen_nodes: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node is None or id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, path) for child in reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    key = (key_node.tag, key_node.value)
                    name = f"{path}.{key_node.value}" if path else str(key_node.value)
                    if key in seen:
                        return name, seen[key], key_node.start_mark.line
                    seen[key] = key_node.start_mark.line
                    stack.append((value_node, name))
    return None


# ---------------------------------------------------------------------------------------------
# alias bombs


class _AliasBomb(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _load(frontmatter: str, *, check_aliases: bool):
    """(data, whether some mapping repeated a key). With check_aliases: compose, measure how far
    aliases expand the tree, then construct — bounded time and memory."""
    loader = _Loader(frontmatter)
    try:
        if not check_aliases:
            return loader.get_single_data(), loader.repeated_keys
        node = loader.get_single_node()
        if node is None:
            return None, False
        _check_expansion(node)
        return loader.construct_document(node), loader.repeated_keys
    finally:
        loader.dispose()


def _check_expansion(root: yaml.Node) -> None:
    """Raise _AliasBomb when the fully expanded tree would exceed MAX_EXPANDED_NODES or loops."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    # Iterative post-order walk over distinct nodes: linear in the composed (unexpanded) size.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        nid = id(node)
        if done:
            on_path.discard(nid)
            if isinstance(node, yaml.SequenceNode):
                total = 1 + sum(sizes[id(c)] for c in node.value)
            elif isinstance(node, yaml.MappingNode):
                total = 1 + sum(sizes[id(k)] + sizes[id(v)] for k, v in node.value)
            else:
                total = 1
            if total > MAX_EXPANDED_NODES:
                raise _AliasBomb(
                    "The frontmatter uses YAML aliases (*name) that would expand to more than "
                    f"{MAX_EXPANDED_NODES:,} values — an \"alias bomb\". Agent definitions do not need "
                    "aliases; write the values out.", node.start_mark.line)
            sizes[nid] = total
            continue
        if nid in sizes:
            continue
        if nid in on_path:
            raise _AliasBomb("The frontmatter contains a YAML alias that refers to itself.",
                             node.start_mark.line)
        on_path.add(nid)
        stack.append((node, True))
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            continue
        for child in children:
            if id(child) in on_path:
                raise _AliasBomb("The frontmatter contains a YAML alias that refers to itself.",
                                 child.start_mark.line)
            if id(child) not in sizes:
                stack.append((child, False))


# ---------------------------------------------------------------------------------------------
# error messages


def _problem_from_yaml_error(frontmatter: str, first_line: int, e: yaml.MarkedYAMLError) -> YamlProblem:
    mark = e.problem_mark or e.context_mark
    index = mark.line if mark is not None else None
    line = None if index is None else first_line + index
    lines = frontmatter.split("\n")
    text = lines[index] if index is not None and index < len(lines) else ""
    problem = (e.problem or "").strip()
    context = (e.context or "").strip()
    where = f"Line {line}" if line is not None else "The frontmatter"

    if "\t" in text[: len(text) - len(text.lstrip(" \t"))] or "'\\t'" in problem:
        return YamlProblem(f"{where} is indented with a tab. YAML only allows spaces for indentation; "
                           "replace the tab with spaces.", line)
    if problem.startswith("mapping values are not allowed"):
        key = text.split(":", 1)[0].strip().lstrip("- ").strip("\"'")
        if mark is not None and index is not None and mark.column <= text.find(":"):
            # The first colon on the line is the bad one: the line continues the value of a key above.
            indent = len(text) - len(text.lstrip(" "))
            for above in reversed(lines[:index]):
                if above.strip() and len(above) - len(above.lstrip(" ")) < indent and ":" in above:
                    key = above.split(":", 1)[0].strip().lstrip("- ").strip("\"'")
                    break
        return YamlProblem(
            f'{where}: the value of "{key}" contains ": " but is not in quotes, so it is not valid YAML. '
            "Put the whole value in quotes (or use Repair).", line)
    if "found undefined alias" in problem or "found undefined alias" in context:
        return YamlProblem(f"{where} uses an alias (*name) that was never defined with &name.", line)
    if "while scanning a quoted scalar" in context:
        start = e.context_mark.line + first_line if e.context_mark is not None else line
        return YamlProblem(f"A quoted value that starts on line {start} is never closed: add the closing quote.",
                           start)
    if "flow sequence" in context or "flow mapping" in context:
        start = e.context_mark.line + first_line if e.context_mark is not None else line
        return YamlProblem(f"A list or mapping in brackets that starts on line {start} is not closed properly "
                           "(a missing ']' or '}', or a stray character).", start)
    if "could not find expected ':'" in problem:
        return YamlProblem(f'{where} is not a "key: value" line (the ":" is missing).', line)
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return YamlProblem(f"{where} is not indented consistently with the lines above it.", line)
    if "expected alphabetic or numeric character" in problem:
        return YamlProblem(f"{where}: a value starts with '*' or '&', which YAML reads as an alias or anchor; "
                           "put the value in quotes.", line)
    if "found character" in problem and "cannot start any token" in problem:
        column = e.problem_mark.column if e.problem_mark is not None else -1
        char = f" ({text[column]})" if 0 <= column < len(text) else ""
        return YamlProblem(f"{where}: a value starts with a character YAML reserves{char}; "
                           "put the value in quotes.", line)
    if "could not determine a constructor" in problem:
        return YamlProblem(f"{where} uses a YAML tag (a value starting with '!') that agent definitions do not "
                           "support; remove the tag or put the value in quotes.", line)
    if "maximum nesting depth" in problem:
        return YamlProblem(f"{where}: the frontmatter is nested too deeply to read.", line)
    detail = problem or context or "invalid syntax"
    return YamlProblem(f"{where}: the frontmatter is not valid YAML ({detail}).", line)


# ---------------------------------------------------------------------------------------------
# recovery by line scan


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace("''", "'") if value[0] == "'" else inner.replace('\\"', '"')
    if " #" in value:  # a trailing comment on a plain value
        value = value.split(" #", 1)[0].rstrip()
    return value


def _flow_list(value: str) -> list[str]:
    inner = value.strip()[1:]
    inner = inner.removesuffix("]")
    return [_scalar(v) for v in inner.split(",") if v.strip()]


def _block_value(lines: list[str], i: int, indent: int, value: str):
    """Value of a key on lines[i] whose text after the colon is `value`; returns (value, next i)."""
    j = i + 1

    def deeper(k: int) -> bool:
        ln = lines[k]
        return not ln.strip() or (len(ln) - len(ln.lstrip(" ")) > indent)

    if value and value[0] in "|>":
        chunk = []
        while j < len(lines) and deeper(j):
            chunk.append(lines[j].strip())
            j += 1
        sep = "\n" if value[0] == "|" else " "
        return sep.join(chunk).strip(), j
    if value.startswith("["):
        return _flow_list(value), j
    if not value or value.startswith("#"):
        items = []
        while j < len(lines) and (deeper(j) or lines[j].lstrip(" ").startswith("- ")):
            s = lines[j].strip()
            if s.startswith("- ") or s == "-":
                items.append(_scalar(s[1:]))
            elif s and not s.startswith("#"):
                break
            j += 1
        return (items if items else ""), j
    parts = [value]
    while j < len(lines) and lines[j].strip() and deeper(j):
        parts.append(lines[j].strip())
        j += 1
    return _scalar(" ".join(parts)), j


def recover(frontmatter: str) -> dict:
    """Read name, description, model, tools, color and the coordination lists by line scan.

    For frontmatter that YAML rejects, typically `description: Use this: when…`. A key's value is
    everything after its first ": "; a repeated key keeps its last value, as YAML loaders do.
    """
    lines = frontmatter.split("\n")
    out: dict = {}
    coordination: dict = {}
    i = 0
    while i < len(lines):
        ln = lines[i]
        if not ln or ln[0] in " \t#":
            i += 1
            continue
        key, sep, rest = ln.partition(":")
        key = _scalar(key)
        if not sep:
            i += 1
            continue
        if key in RECOVERED_KEYS:
            value, i = _block_value(lines, i, 0, rest.strip())
            out[key] = value
            continue
        if key == "coordination":
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i][0] in " \t"):
                sub = lines[i]
                indent = len(sub) - len(sub.lstrip(" "))
                skey, ssep, srest = sub.strip().partition(":")
                skey = _scalar(skey)
                if ssep and skey in COORDINATION_KEYS:
                    value, i = _block_value(lines, i, indent, srest.strip())
                    coordination[skey] = value if isinstance(value, list) else (
                        [v.strip() for v in value.split(",") if v.strip()] if value else [])
                    continue
                i += 1
            continue
        i += 1
    if coordination:
        out["coordination"] = coordination
    return out
