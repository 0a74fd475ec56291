"""Safe YAML loading that keeps the line of every key and reports duplicate keys."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[object, ...]

try:  # the C loader is several times faster; fall back to pure Python
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass
class YamlDoc:
    """A parsed YAML document with the 1-based line of each key path."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def line_of(self, path: Path_, default: int = 1) -> int:
        """Line of the deepest known prefix of `path`."""
        for end in range(len(path), -1, -1):
            key = tuple(path[:end])
            if key in self.lines:
                return self.lines[key]
        return default


# What a front-matter may cost: a concept file needs a handful of levels and a few hundred nodes.
MAX_DEPTH = 12
MAX_ITEMS = 2_000
MAX_SCALAR_CHARS = 50_000
MAX_NODES = 50_000


class YamlSyntaxError(Exception):
    """Malformed YAML, with the 1-based line where the parser stopped."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


_STR = "tag:yaml.org,2002:str"
_SIMPLE = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


def _build(node: yaml.Node, path: Path_, offset: int, doc: YamlDoc, loader: Any) -> Any:
    """Construct the value of a node while recording lines and duplicate keys (one pass), within the limits."""
    line = node.start_mark.line + 1 + offset
    lines = doc.lines
    if path not in lines:
        lines[path] = line
    value = node.value
    if node.__class__ is yaml.ScalarNode:
        if len(value) > MAX_SCALAR_CHARS:
            raise YamlSyntaxError(line, f"a value is {len(value)} characters long, the limit is {MAX_SCALAR_CHARS}")
        if node.tag == _STR:
            return value
        if node.tag in _SIMPLE:
            return loader.construct_object(node, deep=True)
        raise yaml.constructor.ConstructorError(None, None, f"tag {node.tag!r} is not allowed", node.start_mark)
    if len(path) >= MAX_DEPTH:
        raise YamlSyntaxError(line, f"nesting deeper than {MAX_DEPTH} levels")
    if len(value) > MAX_ITEMS:
        raise YamlSyntaxError(line, f"a list or mapping has more than {MAX_ITEMS} items")
    if len(lines) > MAX_NODES:
        raise YamlSyntaxError(line, f"front-matter has more than {MAX_NODES} values")
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise yaml.constructor.ConstructorError(None, None, f"tag {node.tag!r} is not allowed", node.start_mark)
        return [_build(item, path + (i,), offset, doc, loader) for i, item in enumerate(node.value)]
    if node.tag != "tag:yaml.org,2002:map":
        raise yaml.constructor.ConstructorError(None, None, f"tag {node.tag!r} is not allowed", node.start_mark)
    out: dict[Any, Any] = {}
    seen: dict[object, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(None, None, "keys must be plain text", key_node.start_mark)
        key = key_node.value if key_node.tag == _STR else loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1 + offset
        if key in seen:
            doc.problems.append((line, f"duplicate key '{key}' (first at line {seen[key]}); YAML would keep only the last"))
        seen[key] = line
        doc.lines[path + (key,)] = line
        out[key] = _build(value_node, path + (key,), offset, doc, loader)
        doc.lines[path + (key,)] = line
    return out


def _refuse_costly(text: str, line_offset: int) -> None:
    """Scan the YAML events once: refuse anchors, aliases and documents beyond the size limits.

    A concept file has no use for anchors; refusing them before anything is constructed makes a
    "billion laughs" document cost one linear scan, and the limits bound what any file can cost.
    """
    nodes = 0
    stack: list[list[int]] = []  # per open collection: [values per item (1 list, 2 mapping), values seen]
    for event in yaml.parse(text, Loader=_Loader):
        line = (event.start_mark.line if event.start_mark else 0) + 1 + line_offset
        if isinstance(event, yaml.AliasEvent):
            raise YamlSyntaxError(line, f"YAML alias '*{event.anchor}' is not allowed: write the value out")
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack.pop()
            continue
        if not isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            continue
        if event.anchor is not None:
            raise YamlSyntaxError(line, f"YAML anchor '&{event.anchor}' is not allowed: write the value out")
        nodes += 1
        if nodes > MAX_NODES:
            raise YamlSyntaxError(line, f"front-matter has more than {MAX_NODES} values")
        if stack:
            stack[-1][1] += 1
            if stack[-1][1] > MAX_ITEMS * stack[-1][0]:
                raise YamlSyntaxError(line, f"a list or mapping has more than {MAX_ITEMS} items")
        if isinstance(event, yaml.ScalarEvent):
            if len(event.value) > MAX_SCALAR_CHARS:
                raise YamlSyntaxError(line, f"a value is {len(event.value)} characters long, the limit is {MAX_SCALAR_CHARS}")
            continue
        stack.append([2 if isinstance(event, yaml.MappingStartEvent) else 1, 0])
        if len(stack) > MAX_DEPTH:
            raise YamlSyntaxError(line, f"nesting deeper than {MAX_DEPTH} levels")


# An anchor or alias can only start after white space or a flow/structure indicator.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[\]{},:?-])[&*][^\s]", re.M)


def load_yaml(text: str, line_offset: int = 0) -> YamlDoc:
    """Parse YAML safely with bounded cost; `line_offset` is added to every reported line."""
    try:
        if _MAYBE_ANCHOR.search(text) or len(text) > 64 * 1024 or text.count("\n") > 2000:
            _refuse_costly(text, line_offset)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            doc = YamlDoc(data=None)
            if node is None:
                return doc
            doc.data = _build(node, (), line_offset, doc, loader)
        finally:
            loader.dispose()
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        raise YamlSyntaxError(line, f"refused YAML tag or value: {exc.problem}") from None
    except yaml.MarkedYAMLError as exc:
        # Report where the broken construct started (context) when the parser says so.
        mark = exc.context_mark or exc.problem_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        what = exc.problem or exc.context or "syntax error"
        if exc.context and exc.problem_mark is not None and exc.context_mark is not None:
            what += f" ({exc.context.removeprefix('while ')} at line {line}, stopped at line {exc.problem_mark.line + 1 + line_offset})"
        raise YamlSyntaxError(line, f"malformed YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1 + line_offset, f"malformed YAML: {exc}") from None
    return doc
