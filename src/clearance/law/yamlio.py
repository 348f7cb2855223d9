"""Strict YAML reading: duplicate keys are errors, dates stay text, only true/false are booleans.

PyYAML's safe loader silently keeps the last of two equal keys and turns anything date-like into a
``datetime.date``; both hide mistakes in law data. We compose the node tree and build plain Python values
ourselves, so each error names the file and the key path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from clearance.errors import PackError

_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
}


class _Loader(yaml.SafeLoader):
    """Safe loader with YAML 1.2 booleans (``NO`` is Norway, not false) and timestamps kept as text."""


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


def read_yaml(file: Path, label: str | None = None) -> Any:
    """Read one YAML document strictly; ``label`` is how the file is named in errors."""
    name = label or str(file)
    text = file.read_text(encoding="utf-8")
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise PackError(name, "", f"not valid YAML: {exc}") from exc
    if node is None:
        return None
    return _build(node, name, (), _Loader(""))
