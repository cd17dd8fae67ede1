"""Reading a YAML question file safely, keeping the line of every value.

PyYAML's own loaders lose positions, expand aliases (a 432-byte "billion laughs" file becomes 9^9 nodes)
and silently turn unquoted ``yes`` into ``True`` and ``010`` into ``8``. Here the document is *composed*
(nodes with marks, aliases not expanded), aliases and anchors are refused, and the node tree is turned into
plain data while recording each value's 1-based line and, for scalars that YAML resolved to something other
than text, the text as written, so that the schema check can say "unquoted yes was read as a boolean".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

try:  # the C parser is ~3x faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"
_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "empty (null)",
    "tag:yaml.org,2002:timestamp": "a date",
}


class YamlSourceError(Exception):
    """A file that is not readable YAML at all; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class YamlDocument:
    """Plain data from one file plus where each value stood and how non-text scalars were written."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    key_lines: dict[Path_, int] = field(default_factory=dict)
    written_as: dict[Path_, tuple[str, str]] = field(default_factory=dict)
    """Scalars YAML did not read as text: path -> (what it became, e.g. "a boolean"; the text as written)."""
    duplicate_keys: list[tuple[Path_, int]] = field(default_factory=list)

    def line_of(self, path: Path_) -> int:
        """The line of ``path``, or of its nearest ancestor that has one (1 when nothing is known)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1


def _first_anchor_or_alias(text: str) -> tuple[int, str] | None:
    """Line and kind of the first anchor or alias, scanning parser events (cheap; no expansion)."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1, f"alias *{event.anchor}"
        anchor = getattr(event, "anchor", None)
        if anchor:
            return event.start_mark.line + 1, f"anchor &{anchor}"
    return None


class _Builder:
    """Turns a composed node tree into plain data, recording marks; refuses shared (aliased) nodes."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.seen: set[int] = set()
        self.constructor = SafeConstructor()

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if id(node) in self.seen:  # only reachable through an alias the event scan missed
            raise YamlSourceError(node.start_mark.line + 1, "YAML aliases are not allowed in question files")
        self.seen.add(id(node))
        self.doc.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlSourceError(key_node.start_mark.line + 1, "a mapping key must be plain text")
            key = key_node.value
            child = (*path, key)
            if key in out:
                self.doc.duplicate_keys.append((child, key_node.start_mark.line + 1))
            self.doc.key_lines[child] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, child)
        return out

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        if node.tag == _STR_TAG:
            return node.value
        kind = _TAG_NAMES.get(node.tag, f"a value of type {node.tag}")
        self.doc.written_as[path] = (kind, node.value)
        try:
            return self.constructor.construct_object(node, deep=True)
        except ConstructorError as exc:
            raise YamlSourceError(node.start_mark.line + 1, f"cannot read value: {exc.problem}") from None


def read_yaml(text: str) -> YamlDocument:
    """Parse one YAML document with positions. Raises :class:`YamlSourceError` with a 1-based line."""
    if "&" in text or "*" in text:  # the event scan is only needed when an anchor or alias could exist
        try:
            found = _first_anchor_or_alias(text)
        except yaml.MarkedYAMLError as exc:
            raise _syntax_error(exc) from None
        if found:
            line, what = found
            raise YamlSourceError(
                line, f"YAML anchors and aliases are not allowed ({what}); write the value out in full"
            )
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc) from None
    except yaml.YAMLError as exc:
        raise YamlSourceError(1, f"not valid YAML: {exc}") from None
    doc = YamlDocument(data=None)
    if root is not None:
        doc.data = _Builder(doc).build(root, ())
    return doc


def _syntax_error(exc: yaml.MarkedYAMLError) -> YamlSourceError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 1
    problem = exc.problem or exc.context or "syntax error"
    return YamlSourceError(line, f"not valid YAML: {problem}")
