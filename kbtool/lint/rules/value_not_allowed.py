"""KB103 value-not-allowed: a value outside the schema's allowed values."""

from kbtool import codes
from kbtool.lint.registry import Example
from kbtool.lint.rules._shared import forward

forward(
    codes.VALUE_NOT_ALLOWED,
    "value-not-allowed",
    "error",
    "a value outside `[schema.allowed]`, or an undeclared note type",
    sources=("schema",),
    what="""A property value that is not among the allowed values declared under
    [schema.allowed] in kbtool.toml (for example status or confidence), or a type that
    is not one of the declared [schema.types]. Empty values are always allowed.""",
    why="""A misspelt value ('drfat') makes a second category that no query for the
    real one finds.""",
    example=Example(
        bad=(
            'kbtool.toml:\n[schema.allowed]\nstatus = ["draft", "done"]\n'
            "Kube-proxy.md:\n---\ntype: Fact\nstatus: drfat\n---"
        ),
        good=(
            'kbtool.toml:\n[schema.allowed]\nstatus = ["draft", "done"]\n'
            "Kube-proxy.md:\n---\ntype: Fact\nstatus: draft\n---"
        ),
    ),
)
