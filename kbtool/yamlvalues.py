"""Build Python values from libyaml's node tree, faster than PyYAML's generic constructor.

PyYAML's constructor walks every node through generators and dispatch tables;
for the plain frontmatter of notes (mappings, lists, strings, dates, numbers)
that costs as much as parsing. This builds the same values directly, using
PyYAML's own scalar constructors for everything but strings, and hands any
document it does not fully understand (anchors, merge keys, explicit tags)
back to PyYAML, so results are always what `yaml.safe_load` gives.
"""

from __future__ import annotations

from typing import Any

from yaml import CSafeLoader
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_PREFIX = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = _PREFIX + "str", _PREFIX + "seq", _PREFIX + "map"
_SCALARS = {
    _PREFIX + name: getattr(CSafeLoader, f"construct_yaml_{name}")
    for name in ("null", "bool", "int", "float", "timestamp")
}


class _Unusual(Exception):
    """The document needs PyYAML's full constructor."""


def construct(node: Node, loader: CSafeLoader, raw: str) -> Any:
    """The value of `node`, exactly as PyYAML's safe constructor would build it."""
    if "&" in raw or "<<" in raw or "!" in raw:
        return loader.construct_document(node)
    try:
        return _value(node, loader)
    except _Unusual:
        return loader.construct_document(node)


def _value(node: Node, loader: CSafeLoader) -> Any:
    tag = node.tag
    if isinstance(node, ScalarNode):
        if tag == _STR:
            return node.value
        scalar = _SCALARS.get(tag)
        if scalar is None:
            raise _Unusual
        return scalar(loader, node)
    if isinstance(node, SequenceNode) and tag == _SEQ:
        return [_value(item, loader) for item in node.value]
    if isinstance(node, MappingNode) and tag == _MAP:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _value(key_node, loader)
            try:
                hash(key)
            except TypeError:
                raise ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                ) from None
            result[key] = _value(value_node, loader)
        return result
    raise _Unusual
