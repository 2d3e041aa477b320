"""KB102 wrong-type: a property has the wrong type or format."""

from kbtool import codes
from kbtool.lint.registry import Example
from kbtool.lint.rules._shared import forward

forward(
    codes.WRONG_TYPE,
    "wrong-type",
    "error",
    "wrong type or format: names the field, the value and what was expected; a date or"
    " time that names no real one (`2024-13-01`) in any property",
    sources=("parse", "schema"),
    what="""A property whose value is not of the kind the schema expects: a date that is no
    date, tags or aliases that are not a list, a version that is not a whole number of at
    least 1. The message names the field, the value and what was expected. A date or time
    that names no real day or time, in any property ('created: 2024-13-01', '2024-02-30',
    an hour of 25), is reported here too and read as empty.""",
    why="""Obsidian shows a value of the wrong type as invalid and leaves it out of sorting
    and filtering by that property; 'tags: a, b' is one tag named 'a, b'.""",
    example=Example(
        bad="---\ncreated: 2024-13-01\ntags: kubernetes, networking\n---",
        good="---\ncreated: 2024-12-01\ntags: [kubernetes, networking]\n---",
    ),
    fix="sometimes",
)
