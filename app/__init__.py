"""Agent Canvas: a visual editor for teams of AI agents kept as Markdown files."""

__version__ = "0.1.0"
