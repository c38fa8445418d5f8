"""Reading a profile file: YAML with duplicate keys refused."""

from pathlib import Path
from typing import Any, Hashable

import yaml


class _UniqueKeyLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class UnreadableProfile(ValueError):
    """The file is missing, not YAML, or not a mapping of fields."""


def read_profile_mapping(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        content = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except OSError as error:
        raise UnreadableProfile(f"cannot read file: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise UnreadableProfile(f"not valid YAML: {_describe(error)}") from error
    if not isinstance(content, dict):
        raise UnreadableProfile("must be a mapping of profile fields")
    return content


def _describe(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    return f"line {mark.line + 1}: {problem}" if mark else problem
