"""What each problem code means, in plain English, for someone who meets it for the first time.

The messages of the problems themselves say what is wrong with one agent; these say what a
code is about and what to do, once per code. Code-scanning tools show them as a rule's help
(`agent-canvas validate --format sarif`). Every code in validation.CODES has one
(tests/cli/test_ci_formats.py checks that a new code does not come without).
"""

from __future__ import annotations

HELP: dict[str, str] = {
    "yaml-error": "The frontmatter (the block between the two --- lines at the top of the file) is "
    "not valid YAML, so Claude Code cannot read the agent. The editor shows it read-only until it is "
    "fixed; `agent-canvas repair FILE` rewrites it as valid YAML with the same meaning when it can.",
    "unreadable-file": "A file or folder of the team cannot be read (permissions, a broken link or "
    "bytes that are not text). Nothing in it is checked until it can be read.",
    "missing-name": "The agent has no name. Claude Code finds an agent by the name: field of its "
    "frontmatter; add one, in lowercase words joined by hyphens.",
    "invalid-name": "The agent's name is one Claude Code refuses (it is not text, contains a colon or "
    "starts with a hyphen) or one Windows cannot give a file (characters such as ? or *, a device name "
    "such as CON, a trailing dot). Choose a name in lowercase words joined by hyphens, like "
    "backend-specialist.",
    "missing-description": "The agent has no description. Claude Code reads the description to decide "
    "when to hand work to the agent, so say what it does and when to call it.",
    "duplicate-name": "Two or more files in one folder give their agent the same name. Claude Code "
    "loads only one of them (which one depends on the order it reads the folder) and never runs the "
    "others; rename all but one.",
    "unknown-reference": "A coordination list (hands_off_to, receives_from or parallel_with) names an "
    "agent that is not in the team. Correct the name, add the agent, or remove the entry.",
    "asymmetric-handoff": "A hand-off is declared by one side only: one agent hands work to another "
    "that does not list it under receives_from (or the other way round). Declare it on both sides, or "
    "remove it.",
    "asymmetric-parallel": "Agents working in parallel should list each other under parallel_with; "
    "this relation is declared by one side only.",
    "self-reference": "An agent lists itself in a coordination list. An agent cannot hand work to, or "
    "work alongside, itself; remove the entry.",
    "unknown-color": "The colour is not one Claude Code documents. It is kept as written, and shown in "
    "a neutral tone.",
    "unknown-model": "The model is not one Claude Code knows (inherit, sonnet, opus, haiku, fable or "
    "a full model id). Check the spelling.",
    "invalid-value": "A field has a value of the wrong kind (for example text where a list of tool "
    "names belongs). The value is ignored until it is corrected.",
    "layout-file": "The editor's layout file (.agent-canvas.json) is damaged. Only the card positions "
    "are lost; the agents are not affected.",
    "outside-link": "The file is a symbolic link to a file outside the team's folder (a cloned "
    "repository can hold such links). It is shown, but the editor never writes through it: copy the "
    "file into the team to edit it here.",
    "lenient-yaml": "Claude Code reads this file through its fallback for files that are not standard "
    "YAML (a value with ': ' in it, or indented with tabs), but other YAML tools reject it. Repair "
    "rewrites the lines it quotes, with the same meaning.",
    "invalid-hooks": "hooks must be a mapping of events to commands; written as a list, it makes "
    "Claude Code refuse to load the agent. Write hooks as event: [commands], or remove the key.",
    "name-style": "The name is one Claude Code accepts, but not in the documented style of "
    "lowercase words joined by hyphens (like backend-specialist). Renaming is optional.",
    "no-frontmatter": "A Markdown file without frontmatter is treated as documentation, not as an "
    "agent. Add a --- block with a name and a description if it is meant to be an agent.",
    "name-file-mismatch": "The agent's name differs from its file name. Claude Code goes by the name; "
    "matching file names make the team easier to find your way around.",
    "handoff-cycle": "Agents hand work to each other in a loop. That can be intended (review and "
    "rework), but make sure the loop has a way to end.",
}
