"""`agent-canvas validate` output for machines: JSON, GitHub workflow commands and SARIF 2.1.0.

Each writer takes rows of (path shown for the problem's file, Problem) in the order to print
them. The caller decides what the path is relative to: the folder given on the command line for
JSON (as before), the working directory for GitHub and SARIF, since GitHub matches annotations
and code-scanning results against paths from the repository's root.

No Qt, and nothing imported that a pre-commit run would not need: these run on every commit.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from app import __version__
from app.model.problem_help import HELP
from app.model.validation import CODES

HOMEPAGE = "https://github.com/agent-canvas/agent-canvas"

# Both writers below encode through json's C encoder: indent= would switch to the pure-Python
# one, which costs seconds for a team with tens of thousands of problems.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def _problem_dict(path: str | None, p) -> dict[str, Any]:
    return {"severity": p.severity, "code": p.code, "file": path, "line": p.line, "agent": p.agent,
            "message": p.message}


def write_json(out: TextIO, agents: int, rows: Sequence[tuple[str | None, Any]]) -> None:
    """{"agents": N, "problems": [...]}, one problem per line."""
    body = ",\n".join("    " + _encode(_problem_dict(path, p)) for path, p in rows)
    out.write(f'{{\n  "agents": {agents},\n  "problems": [\n{body}\n  ]\n}}\n' if body
              else f'{{\n  "agents": {agents},\n  "problems": []\n}}\n')


# --- GitHub workflow commands ------------------------------------------------------------------
# https://docs.github.com/actions/reference/workflow-commands-for-github-actions: the message
# escapes %, CR and LF; a property value escapes ":" and "," too (as actions/toolkit does).

_GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(out: TextIO, rows: Sequence[tuple[str | None, Any]]) -> None:
    """`::error file=F,line=L,title=CODE::message` per problem (warning, notice for the others)."""
    lines = []
    for path, p in rows:
        props = []
        if path:
            props.append(f"file={_github_property(path)}")
            if p.line:
                props.append(f"line={p.line}")
        props.append(f"title={_github_property(p.code)}")
        lines.append(f"::{_GITHUB_COMMAND.get(p.severity, 'warning')} {','.join(props)}::"
                     f"{_github_data(p.message)}\n")
    out.write("".join(lines))


# --- SARIF 2.1.0 --------------------------------------------------------------------------------

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule(code: str, severity: str) -> dict[str, Any]:
    text = HELP.get(code, code)
    first = text.split(". ", 1)[0].rstrip(".") + "."
    return {
        "id": code,
        "name": "".join(word.capitalize() for word in code.split("-")),
        "shortDescription": {"text": first},
        "fullDescription": {"text": text},
        "help": {"text": text},
        "defaultConfiguration": {"level": _SARIF_LEVEL.get(severity, "warning")},
    }


def write_sarif(out: TextIO, rows: Sequence[tuple[str | None, Any]], exit_code: int,
                cwd: Path | None = None) -> None:
    """One run: the tool with one rule per problem code, the invocation, one result per problem.
    File URIs are relative to %SRCROOT%, the working directory."""
    codes = list(CODES)
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for path, p in rows:
        result: dict[str, Any] = {"ruleId": p.code, "level": _SARIF_LEVEL.get(p.severity, "warning"),
                                  "message": {"text": p.message}}
        if p.code in index:
            result["ruleIndex"] = index[p.code]
        if path:
            physical: dict[str, Any] = {"artifactLocation": {"uri": quote(path), "uriBaseId": "%SRCROOT%"}}
            if p.line:
                physical["region"] = {"startLine": p.line}
            location: dict[str, Any] = {"physicalLocation": physical}
            if p.agent:
                location["logicalLocations"] = [{"name": p.agent}]  # the agent the problem is about
            result["locations"] = [location]
        results.append(result)
    root = (cwd or Path.cwd()).resolve().as_uri().rstrip("/") + "/"
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "agent-canvas",
                "version": __version__,
                "informationUri": HOMEPAGE,
                "rules": [_rule(code, CODES[code]) for code in codes],
            }},
            "invocations": [{"executionSuccessful": True, "exitCode": exit_code}],
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root}},
            "results": results,
        }],
    }
    out.write(_encode(log) + "\n")


def ci_path(base: str, shown: str | None) -> str | None:
    """`shown` (relative to `base`, the folder as given) as a POSIX path from the working
    directory, where GitHub and code scanning look for it (the repository's root in CI). An
    absolute folder inside the working directory is made relative to it."""
    if not shown:
        return shown
    path = os.path.normpath(os.path.join(base, shown))
    if os.path.isabs(path):
        try:
            inside = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            inside = os.pardir
        if inside != os.pardir and not inside.startswith(os.pardir + os.sep):
            path = inside
    return Path(path).as_posix()
