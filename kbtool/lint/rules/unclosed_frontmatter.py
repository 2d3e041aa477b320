"""KB006 unclosed-frontmatter: the frontmatter's opening '---' has no closing '---'."""

from kbtool import codes
from kbtool.lint.registry import Example
from kbtool.lint.rules._shared import forward

forward(
    codes.UNCLOSED_FRONTMATTER,
    "unclosed-frontmatter",
    "error",
    "an opening `---` without a closing one",
    sources=("parse",),
    what="""A file that starts with '---' where no later line is '---'.""",
    why="""Obsidian reads the whole file as text, so the note has no properties and its
    first lines show as a broken block.""",
    example=Example(
        bad="---\ntitle: Kube-proxy\n# Kube-proxy",
        good="---\ntitle: Kube-proxy\n---\n# Kube-proxy",
    ),
)
