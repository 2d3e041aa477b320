"""KB002 invalid-yaml: the frontmatter is not valid YAML."""

from kbtool import codes
from kbtool.lint.registry import Example
from kbtool.lint.rules._shared import forward

forward(
    codes.INVALID_YAML,
    "invalid-yaml",
    "error",
    "frontmatter that is not valid YAML (at the YAML error's line), or a value YAML"
    " cannot build or that passes a budget (at the value)",
    sources=("parse",),
    what="""The frontmatter between the two '---' lines is not valid YAML (the position is
    where the YAML parser gave up), or one value in it cannot be built: a tag it does not
    fit ('!!int abc'), an unknown tag ('!!python/object'), a list or mapping as a key, an
    alias to no anchor or to itself, or a value past a budget (aliases repeat at most
    10,000 values, values nest at most 100 levels, integers have at most 4,300 digits).
    Such a value is reported where it is written and read as empty; the rest of the note
    is still read.""",
    why="""Obsidian shows a note whose YAML it cannot read without any properties, so its
    title, type, tags and dates are lost to search, Dataview and the graph. Template notes
    with placeholders such as '{{date}}' are a common cause: exclude the templates folder
    with 'exclude = ["Templates"]' in kbtool.toml.""",
    example=Example(
        bad="---\ntitle: Notes: on YAML\n---",
        good='---\ntitle: "Notes: on YAML"\n---',
    ),
)
