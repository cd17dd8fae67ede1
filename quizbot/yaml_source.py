"""Reading a YAML question file safely, keeping the line of every value.

PyYAML's own loaders lose positions, expand aliases (a 432-byte "billion laughs" file becomes 9^9 nodes)
and silently turn unquoted ``yes`` into ``True`` and ``010`` into ``8``. Here the parser's events are read
directly: anchors and aliases are refused as soon as they appear (nothing is ever expanded), and the events
are turned into plain data while recording each value's 1-based line and, for scalars that YAML resolved to
something other than text, the text as written, so that the schema check can say "unquoted yes was read as
a boolean".

Also refused, each with a one-line message on the line an editor shows:

* explicit tags (``!!python/object/apply:...``, ``!!set``, ``!custom``): a question file is plain text,
  lists and mappings, and a tag is either an attack or a value that does not mean what it looks like;
* raw control characters (NUL, ESC, BEL...), which YAML forbids; libyaml's own message spans two lines and
  always points at line 1.

Lines count ``\n`` only, as editors do. YAML also breaks lines at NEL (U+0085), U+2028, U+2029 and a lone
``\r``, so libyaml's line numbers drift past such a character; positions are recomputed from the character
offset instead.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError, SafeConstructor

try:  # the C parser is ~3x faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]

MAX_DEPTH = 20
"""Deepest nesting accepted. Questions sit 5 levels down (file, questions, item, source, field)."""

_STR_TAG = "tag:yaml.org,2002:str"
_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
_NOT_ALLOWED = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters YAML 1.1 does not allow in a stream (its "printable" set, inverted)."""
_ODD_BREAKS = re.compile("[\r\x85\u2028\u2029]")
_C0_NAMES = [
    "NUL",
    "SOH",
    "STX",
    "ETX",
    "EOT",
    "ENQ",
    "ACK",
    "BEL",
    "BS",
    "HT",
    "LF",
    "VT",
    "FF",
    "CR",
    "SO",
    "SI",
    "DLE",
    "DC1",
    "DC2",
    "DC3",
    "DC4",
    "NAK",
    "SYN",
    "ETB",
    "CAN",
    "EM",
    "SUB",
    "ESC",
    "FS",
    "GS",
    "RS",
    "US",
]
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


class _Lines:
    """1-based line numbers of marks, counting ``\n`` only (see the module docstring)."""

    def __init__(self, text: str) -> None:
        self.newlines: list[int] | None = None
        if _ODD_BREAKS.search(text):  # otherwise libyaml's count is already right, and free
            self.newlines = [m.start() for m in re.finditer("\n", text)]

    def of(self, mark: Any) -> int:
        if self.newlines is None or mark is None:
            return mark.line + 1 if mark is not None else 1
        return bisect.bisect_left(self.newlines, mark.index) + 1


def _control_character_error(text: str) -> YamlSourceError | None:
    """The first character YAML does not allow, reported where it is: line, column and its name."""
    found = _NOT_ALLOWED.search(text)
    if found is None:
        return None
    at = found.start()
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    code = ord(found.group())
    if code < 0x20:
        name = _C0_NAMES[code]
    elif code == 0x7F:
        name = "DEL"
    elif 0x80 <= code <= 0x9F:
        name = "a C1 control character"
    elif 0xD800 <= code <= 0xDFFF:
        name = "a lone surrogate"
    else:
        name = "a non-character"
    return YamlSourceError(
        line,
        f"control character U+{code:04X} ({name}) at column {column} is not allowed in YAML; delete it, "
        f"or write it as the escape \\x{code:02x} inside double quotes",
    )


def _tag_name(tag: str) -> str:
    """A tag as it was written: ``tag:yaml.org,2002:set`` back to ``!!set``."""
    return "!!" + tag.removeprefix(_YAML_TAG_PREFIX) if tag.startswith(_YAML_TAG_PREFIX) else tag


class _Reader:
    """Turns the parser's event stream into plain data in one pass, recording marks.

    One pass over the events instead of two (an event scan for anchors, then ``yaml.compose`` and a walk
    of the node tree): the events carry the anchors, and building data straight from them skips creating
    a node object per value. Reading a 10,000-question bank takes half the time it took in two passes,
    about what a bare ``yaml.load`` takes.

    Errors keep the order a two-pass reader would give: a syntax error or an anchor/alias anywhere in
    the file wins, in file order; then a second document; and only for a file that parsed cleanly, the
    first problem found while building (a non-text key, a value that cannot be read).
    """

    def __init__(self, loader: Any, doc: YamlDocument, text: str, lines: _Lines) -> None:
        self.next_event = loader.get_event
        self.resolve = loader.resolve
        self.doc = doc
        self.lines = lines
        self.line = lines.of
        self.may_have_anchors = "&" in text or "*" in text
        """Without these characters there is no anchor to look for after a second document starts."""
        self.constructor = SafeConstructor()
        self.problem: BaseException | None = None
        """The first building problem, raised once the whole file is known to parse."""

    def event(self) -> Any:
        event = self.next_event()
        if isinstance(event, yaml.AliasEvent):
            raise _anchor_error(self.line(event.start_mark), f"alias *{event.anchor}")
        if getattr(event, "anchor", None):
            raise _anchor_error(self.line(event.start_mark), f"anchor &{event.anchor}")
        return event

    def refuse_tag(self, event: Any) -> None:
        """Record an explicit tag on a value or key as the file's problem (see the module docstring)."""
        tag = event.tag
        if tag is not None and tag != "!":
            self.fail(
                YamlSourceError(
                    self.line(event.start_mark),
                    f"YAML tags are not allowed ({_tag_name(tag)!r}); write the value as plain text, "
                    "a list or a mapping",
                )
            )

    def read(self) -> None:
        self.event()  # stream start
        event = self.event()
        if isinstance(event, yaml.StreamEndEvent):
            return  # an empty file: no document at all
        self.doc.data = self.value(self.event(), ())
        self.event()  # document end
        event = self.event()
        if not isinstance(event, yaml.StreamEndEvent):
            second = event.start_mark
            while self.may_have_anchors and not isinstance(event, yaml.StreamEndEvent):
                event = self.event()  # an anchor or a syntax error further down is reported first
            raise _syntax_error(
                ComposerError(
                    "expected a single document in the stream", None, "but found another document", second
                ),
                self.lines,
            )
        if self.problem is not None:
            raise self.problem

    def fail(self, problem: BaseException) -> None:
        if self.problem is None:
            self.problem = problem

    def value(self, event: Any, path: Path_) -> Any:
        if len(path) > MAX_DEPTH:  # a question file is 5 levels deep; 3,000 would exhaust the stack
            raise YamlSourceError(
                self.line(event.start_mark),
                f"values nested more than {MAX_DEPTH} levels deep; a question file needs 5",
            )
        self.doc.lines[path] = self.line(event.start_mark)
        if getattr(event, "tag", None) is not None:
            self.refuse_tag(event)
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, path)
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(path)
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            item = self.event()
            while not isinstance(item, yaml.SequenceEndEvent):
                items.append(self.value(item, (*path, len(items))))
                item = self.event()
            return items
        raise ComposerError(None, None, f"unexpected {type(event).__name__}", event.start_mark)

    def mapping(self, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        key_event = self.event()
        while not isinstance(key_event, yaml.MappingEndEvent):
            line = self.line(key_event.start_mark)
            if isinstance(key_event, yaml.ScalarEvent):
                key = key_event.value
                if key_event.tag is not None:
                    self.refuse_tag(key_event)
            else:
                self.fail(YamlSourceError(line, "a mapping key must be plain text"))
                key = f"<key at line {line}>"  # a stand-in: the recorded problem is raised at the end
                self.value(key_event, (*path, key))
            child = (*path, key)
            if key in out:
                self.doc.duplicate_keys.append((child, line))
            self.doc.key_lines[child] = line
            out[key] = self.value(self.event(), child)
            key_event = self.event()
        return out

    def scalar(self, event: Any, path: Path_) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR_TAG:
            return event.value
        kind = _TAG_NAMES.get(tag, f"a value of type {tag}")
        self.doc.written_as[path] = (kind, event.value)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.constructor.construct_object(node, deep=True)
        except ConstructorError as exc:
            self.fail(YamlSourceError(self.line(event.start_mark), f"cannot read value: {exc.problem}"))
        except Exception:  # PyYAML's constructors raise ValueError or IndexError on e.g. an empty !!int
            self.fail(YamlSourceError(self.line(event.start_mark), f"cannot read {event.value!r} as {kind}"))
        return None


def _anchor_error(line: int, what: str) -> YamlSourceError:
    return YamlSourceError(
        line, f"YAML anchors and aliases are not allowed ({what}); write the value out in full"
    )


def read_yaml(text: str) -> YamlDocument:
    """Parse one YAML document with positions. Raises :class:`YamlSourceError` with a 1-based line."""
    refused = _control_character_error(text)
    if refused is not None:
        raise refused
    doc = YamlDocument(data=None)
    lines = _Lines(text)
    loader = _Loader(text)
    try:
        _Reader(loader, doc, text, lines).read()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, lines) from None
    except yaml.YAMLError as exc:
        raise YamlSourceError(1, "not valid YAML: " + " ".join(str(exc).split())) from None
    finally:
        loader.dispose()
    return doc


def _syntax_error(exc: yaml.MarkedYAMLError, lines: _Lines | None = None) -> YamlSourceError:
    mark = exc.problem_mark or exc.context_mark
    line = (lines.of(mark) if lines is not None else mark.line + 1) if mark is not None else 1
    problem = exc.problem or exc.context or "syntax error"
    return YamlSourceError(line, f"not valid YAML: {problem}")
