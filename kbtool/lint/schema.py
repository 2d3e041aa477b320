"""Validate note metadata against the vault's schema (KB101 to KB104), with pydantic.

The schema is data (`kbtool.toml`): for each note type, one validator (a
pydantic-core schema: a typed dict of the type's fields, each a plain validator
of its kind) is built once and every note of that type is validated by it in a
single call. Notes that carry no `type` (in a vault that does not require one) get
only the generic checks that hold in any Obsidian vault: reserved list keys
and date properties.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml
from pydantic_core import SchemaValidator as CoreValidator
from pydantic_core import ValidationError, core_schema

from kbtool import codes
from kbtool.config import RESERVED_LISTS, SEED_FIELDS, FieldKind, SchemaConfig
from kbtool.model import Finding, Note, SetProperty
from kbtool.notes.properties import is_empty, is_note_type, property_type

if TYPE_CHECKING:
    from kbtool.config import Config

#: Keys Obsidian itself gives a meaning to; never "unknown".
OBSIDIAN_KEYS = frozenset(
    {"tags", "aliases", "cssclasses", "publish", "permalink", "description", "image", "cover"}
)
GENERIC_FIELDS: dict[str, FieldKind] = {
    "tags": "list",
    "aliases": "list",
    "cssclasses": "list",
    "created": "date-or-datetime",
    "modified": "date-or-datetime",
    "updated": "date-or-datetime",
    "last_reviewed": "date",
}


def _text(value: Any) -> str:
    return "an empty value" if value is None else f"{value!r}"


def _expect(kind: str) -> Callable[[Any], Any]:
    """A validator that accepts one property kind and explains any other value."""

    def check(value: Any) -> Any:
        if value is None or kind in ("any", "interval"):
            return value
        ok = _ACCEPTS[kind](value)
        if not ok:
            raise ValueError(f"{_text(value)} is {_describe(value)}; expected {_EXPECTED[kind]}")
        return value

    return check


def _is_iso(value: Any, parser: Callable[[str], Any]) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parser(value.strip())
    except ValueError:
        return False
    return True


def _is_date(value: Any) -> bool:
    if isinstance(value, dt.datetime):
        return False
    return isinstance(value, dt.date) or (
        _is_iso(value, dt.date.fromisoformat) and len(value.strip()) == 10
    )


def _is_datetime(value: Any) -> bool:
    return isinstance(value, dt.datetime) or _is_iso(value, dt.datetime.fromisoformat)


_ACCEPTS: dict[str, Callable[[Any], bool]] = {
    "text": lambda v: isinstance(v, str),
    "list": lambda v: isinstance(v, list),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
    "checkbox": lambda v: isinstance(v, bool),
    "date": _is_date,
    "datetime": _is_datetime,
    "date-or-datetime": lambda v: _is_date(v) or _is_datetime(v),
}
_EXPECTED = {
    "text": "text",
    "list": "a YAML list such as [a, b]",
    "number": "a number",
    "integer": "a whole number of at least 1",
    "checkbox": "true or false",
    "date": "a date such as 2025-11-03",
    "datetime": "a date and time such as 2025-11-03T13:48:27",
    "date-or-datetime": "a date such as 2025-11-03 or a date and time such as 2025-11-03T13:48:27",
}


_ARTICLE = {
    "checkbox": "a checkbox",
    "number": "a number",
    "date & time": "a date and time",
    "date": "a date",
    "list": "a list",
    "object": "a mapping",
    "text": "text",
}


def _describe(value: Any) -> str:
    return _ARTICLE.get(property_type(value) or "", "an empty value")


def _validator(fields: dict[str, FieldKind]) -> CoreValidator:
    return _made_validator(tuple(fields.items()))


@functools.lru_cache(maxsize=256)
def _made_validator(fields: tuple[tuple[str, FieldKind], ...]) -> CoreValidator:
    """A validator of a note's properties, made once per process for each set of fields.

    A pydantic-core schema rather than a pydantic model: a model took 25 to 50 ms to
    make (a warm check of one edited note made two, a third of its time), this 0.2 ms;
    and a model took a field named like one of its own attributes (`copy`, `json`) or
    starting with `_` for something else. Missing keys are not validated, others
    are ignored, and errors come in the order of the fields, as the model gave them."""
    definitions = {
        key: core_schema.typed_dict_field(
            core_schema.no_info_plain_validator_function(_expect(kind)), required=False
        )
        for key, kind in fields
    }
    return CoreValidator(core_schema.typed_dict_schema(definitions, extra_behavior="ignore"))


def type_tag(type_name: str, schema: SchemaConfig) -> str:
    """The tag that goes with a note type: configured, else `type/<type lower-cased>`."""
    declared = schema.types.get(type_name)
    if declared is not None and declared.tag:
        return declared.tag
    return "type/" + "-".join(type_name.lower().split())


@dataclass
class SchemaReport:
    """Findings of the schema pass, by code."""

    findings: dict[str, list[Finding]] = field(default_factory=dict)

    def add(self, code: str, finding: Finding) -> None:
        self.findings.setdefault(code, []).append(finding)


class SchemaValidator:
    """One validator per note type, built once per run.

    `obsidian_kinds` are the property types Obsidian records for the vault
    (`.obsidian/types.json`): they hold for every note, typed or not, over the
    seed's kinds; `[schema.fields]` in kbtool.toml wins over both.
    """

    def __init__(
        self, schema: SchemaConfig, obsidian_kinds: dict[str, FieldKind] | None = None
    ) -> None:
        kinds = obsidian_kinds or {}
        self.schema = schema
        self.fields = {**SEED_FIELDS, **kinds, **schema.fields}
        generic = _validator({**GENERIC_FIELDS, **kinds})
        self._validators: dict[str | None, CoreValidator] = {None: generic}

    def fields_for(self, type_name: str) -> dict[str, FieldKind]:
        declared = self.schema.types.get(type_name)
        return {**self.fields, **(declared.fields if declared else {})}

    def validator_for(self, type_name: str | None) -> CoreValidator:
        if type_name not in self._validators:
            assert type_name is not None
            self._validators[type_name] = _validator(self.fields_for(type_name))
        return self._validators[type_name]

    def required_for(self, type_name: str) -> list[str]:
        declared = self.schema.types.get(type_name)
        if declared is not None and declared.required is not None:
            return declared.required
        return self.schema.required

    def validate(self, note: Note, report: SchemaReport) -> None:
        meta = note.frontmatter.data
        if meta is None:
            if self.schema.require_type and not note.problems:
                message = "missing required field 'type': the note has no frontmatter"
                report.add(codes.MISSING_REQUIRED_FIELD, Finding.at_key(note, "type", message))
            return
        raw_type = meta.get("type")
        broken = note.frontmatter.broken  # values the parser could not build: reported there
        built = {k: v for k, v in meta.items() if k not in broken} if broken else meta
        if not is_note_type(raw_type):
            if self.schema.require_type and "type" not in broken:
                message = "missing required field 'type' (required on every note)"
                report.add(codes.MISSING_REQUIRED_FIELD, Finding.at_key(note, "type", message))
            self._check_values(note, built, None, report)
            return
        type_name = raw_type.strip()
        self._check_values(note, built, type_name, report)
        for key in self.required_for(type_name):
            if key not in broken and is_empty(meta.get(key)):
                state = "is empty" if key in meta else "is missing"
                message = f"required field '{key}' {state} (required for type '{type_name}')"
                report.add(codes.MISSING_REQUIRED_FIELD, Finding.at_key(note, key, message))
        self._check_allowed(note, built, type_name, report)
        known = self.fields_for(type_name)
        for key in meta:
            if key not in known and key not in OBSIDIAN_KEYS:
                message = f"unknown field '{key}' (not in the schema for type '{type_name}')"
                report.add(codes.UNKNOWN_FIELD, Finding.at_key(note, key, message))

    def _check_values(
        self, note: Note, meta: dict[str, Any], type_name: str | None, report: SchemaReport
    ) -> None:
        try:
            self.validator_for(type_name).validate_python(meta)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                key = str(error["loc"][0])
                message = str(error.get("ctx", {}).get("error", error["msg"]))
                fix = _tags_fix(key, meta.get(key))
                found = Finding.at_key(note, key, f"'{key}': {message}", value=True, fix=fix)
                report.add(codes.WRONG_TYPE, found)

    def _check_allowed(
        self, note: Note, meta: dict[str, Any], type_name: str, report: SchemaReport
    ) -> None:
        if self.schema.types and type_name not in self.schema.types:
            allowed = ", ".join(sorted(self.schema.types))
            message = f"type '{type_name}' is not a declared note type (declared: {allowed})"
            report.add(codes.VALUE_NOT_ALLOWED, Finding.at_key(note, "type", message, value=True))
        for key, allowed_values in self.schema.allowed.items():
            value = meta.get(key)
            if is_empty(value):
                continue
            values = value if isinstance(value, list) else [value]
            for item in values:
                if item not in allowed_values:
                    listed = ", ".join(str(v) for v in allowed_values)
                    message = f"'{key}' is {item!r}; allowed: {listed}"
                    report.add(
                        codes.VALUE_NOT_ALLOWED, Finding.at_key(note, key, message, value=True)
                    )


def _tags_fix(key: str, value: Any) -> SetProperty | None:
    """`tags: a, b` is read by Obsidian as the tags a and b; offer the list it means.

    A fix sets one frontmatter property: `key`, the `value` to write (one line of
    YAML) and the `replacement` it reads back as; `kbtool check --fix` applies it.
    """
    if key not in RESERVED_LISTS or not isinstance(value, str):
        return None
    # tags and CSS classes hold no spaces; an alias may ("Artificial Intelligence")
    parts = value.split(",") if key == "aliases" else value.replace(",", " ").split()
    items = [t.strip().lstrip("#") if key == "tags" else t.strip() for t in parts]
    items = [t for t in items if t]
    text = yaml.safe_dump(items, default_flow_style=True, allow_unicode=True, width=1 << 20)
    return SetProperty(f"write {key} as a list", key, text.strip(), items)


def prepare_validators(notes: Iterable[Note], config: Config) -> None:
    """Make the validators of the note types among `notes` now, so that a forked copy
    of this process has them (`kbtool.lint.split`)."""
    validator = SchemaValidator(config.schema, config.property_kinds)
    for note in notes:
        data = note.frontmatter.data
        raw_type = data.get("type") if data else None
        if is_note_type(raw_type):
            validator.validator_for(raw_type.strip())


def validate_notes(notes: Iterable[Note], config: Config) -> SchemaReport:
    """Run the schema over every note once; rules KB101 to KB104 read the result."""
    validator = SchemaValidator(config.schema, config.property_kinds)
    report = SchemaReport()
    for note in notes:
        validator.validate(note, report)
    return report
