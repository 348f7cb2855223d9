"""Strict YAML reading: duplicate keys are errors, dates stay text, only true/false are booleans, and a document
may hold only so much structure.

PyYAML's safe loader silently keeps the last of two equal keys and turns anything date-like into a
``datetime.date``; both hide mistakes in law data. We compose the node tree and build plain Python values
ourselves, so each error names the file and the key path.

Every YAML file clearance reads (packs, scenarios uploaded to the service, data files) goes through
:func:`read_yaml`, which bounds the work a document can ask for while it is composed, before any value is built:
nesting deeper than :attr:`YamlLimits.depth`, an alias to a node that contains it, or aliases that expand to
more than :attr:`YamlLimits.nodes` nodes (a "billion laughs" file) are refused at once with a :class:`PackError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError

from clearance.errors import PackError

_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
}


@dataclass(frozen=True, slots=True)
class YamlLimits:
    """How much structure one YAML document may hold (the largest bundled file has about 1,200 nodes, 13 deep)."""

    #: Deepest nesting of mappings and sequences.
    depth: int = 64
    #: Most nodes of the document once every alias is expanded (what building its values costs).
    nodes: int = 100_000


#: The limits :func:`read_yaml` applies unless given others.
LIMITS = YamlLimits()


class YamlLimitError(ComposerError):
    """A document asks for more than the :class:`YamlLimits` allow (raised while composing)."""


class _Loader(yaml.SafeLoader):
    """Safe loader with YAML 1.2 booleans (``NO`` is Norway, not false), timestamps kept as text, and the
    :class:`YamlLimits` checked as each node is composed."""

    def __init__(self, stream: str, limits: YamlLimits = LIMITS) -> None:
        super().__init__(stream)
        self.limits = limits
        self._depth = 0
        self._expanded = 0  # nodes composed so far, each alias counting the nodes it stands for
        self._sizes: dict[int, int] = {}  # expanded size of each finished anchored node, by id

    def _refuse(self, problem: str, mark: Any) -> YamlLimitError:
        return YamlLimitError(None, None, problem, mark)

    def _grow(self, nodes: int, mark: Any) -> None:
        self._expanded += nodes
        if self._expanded > self.limits.nodes:
            raise self._refuse(f"its aliases expand to more than {self.limits.nodes:,} nodes", mark)

    def _nest(self) -> None:
        # The scanner looks ahead over every open flow collection, so deep nesting is refused while scanning
        # (before that look-ahead grows quadratic); the composer checks the depth of the tree itself below.
        if self.flow_level > self.limits.depth or len(self.indents) > self.limits.depth:
            raise self._refuse(f"nested deeper than {self.limits.depth} levels", self.get_mark())

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        super().fetch_flow_collection_start(TokenClass)
        self._nest()

    def add_indent(self, column: int) -> bool:
        added: bool = super().add_indent(column)
        self._nest()
        return added

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            size = self._sizes.get(id(node))
            if size is None:  # the anchor's node is still being composed: it would contain itself
                raise self._refuse(
                    f"alias *{event.anchor} is recursive (it refers to a node that contains it)", event.start_mark
                )
            self._grow(size, event.start_mark)
            return node
        nests = isinstance(event, yaml.CollectionStartEvent)
        self._depth += nests
        if self._depth > self.limits.depth:
            raise self._refuse(f"nested deeper than {self.limits.depth} levels", event.start_mark)
        before = self._expanded
        node = super().compose_node(parent, index)
        self._depth -= nests
        self._grow(1, event.start_mark)
        if event.anchor is not None:
            self._sizes[id(node)] = self._expanded - before
        return node


_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def format_path(parts: tuple[str | int, ...]) -> str:
    """Render a key path as ``a.b[2].c``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _build(node: yaml.Node, file: str, path: tuple[str | int, ...], loader: _Loader) -> Any:
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _build(key_node, file, path, loader)
            if not isinstance(key, str | int | bool) or isinstance(key, bool):
                raise PackError(file, format_path(path), f"keys must be text, got {key!r}")
            key = str(key)
            if key in result:
                raise PackError(file, format_path((*path, key)), f"duplicate key (line {key_node.start_mark.line + 1})")
            result[key] = _build(value_node, file, (*path, key), loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, file, (*path, i), loader) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in _SCALAR_TAGS:
            raise PackError(file, format_path(path), f"unsupported YAML tag {node.tag}")
        return loader.construct_object(node)
    raise PackError(file, format_path(path), f"unsupported YAML node {type(node).__name__}")


def _where(exc: YamlLimitError) -> str:
    mark = exc.problem_mark
    return "" if mark is None else f" (line {mark.line + 1}, column {mark.column + 1})"


def read_yaml(file: Path, label: str | None = None, limits: YamlLimits = LIMITS) -> Any:
    """Read one YAML document strictly within ``limits``; ``label`` is how the file is named in errors."""
    return parse_yaml(file.read_text(encoding="utf-8"), label or str(file), limits)


def parse_yaml(text: str, name: str, limits: YamlLimits = LIMITS) -> Any:
    """:func:`read_yaml` of a document's text; ``name`` is how it is named in errors."""
    try:
        loader = _Loader(text, limits)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except YamlLimitError as exc:
        raise PackError(name, "", f"YAML refused: {exc.problem}{_where(exc)}") from None
    except yaml.YAMLError as exc:
        raise PackError(name, "", f"not valid YAML: {exc}") from exc
    if node is None:
        return None
    return _build(node, name, (), _Loader(""))
