"""Problem messages in the panel's words.

The model's messages name keys as the file spells them (`hands_off_to`, `permissionMode`), which
is right for the command line and for people who edit the files. The editor shows the same keys
under labels ("Hands off to", "Permissions"), so the Problems panel says those instead; the
message, its code and the command line stay as they are.
"""

from __future__ import annotations

import re

from app.model.fixes import FIELD_WORDS
from app.ui.panels.fields import ADVANCED, MAIN_FIELDS
from app.ui.panels.presenter import RELATIONS


def _labels() -> dict[str, str]:
    out: dict[str, str] = {}
    for rel in RELATIONS:
        out[rel.path] = out[rel.key] = rel.label
        out[FIELD_WORDS[rel.key]] = rel.label  # the quick fixes' spelling, "hands-off-to"
    for spec in (*MAIN_FIELDS, *ADVANCED):
        # Only keys no one would write as a plain word: "permissionMode", not "name" or "tools".
        if spec.name != spec.name.lower() or "_" in spec.name:
            out[spec.name] = spec.label
    return out


LABELS = _labels()
# Longest first, so "coordination.hands_off_to" is replaced whole rather than in part.
_KEY = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(k) for k in sorted(LABELS, key=len, reverse=True))
                  + r")(?![\w-])")


def display_message(text: str) -> str:
    """`text` with every file key the panel shows under a label replaced by “that label”."""
    return _KEY.sub(lambda m: f"“{LABELS[m.group(1)]}”", text)
