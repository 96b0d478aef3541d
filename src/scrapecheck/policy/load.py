"""Find and validate the policy files; every problem is a PolicyError naming file, rule id and field.

Nothing is skipped: a rule that does not validate, a duplicate id, a citation, platform or threshold that
does not resolve, or a message placeholder that no plan field or evidence key fills stops the load.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from pydantic import BaseModel, ValidationError

from .._files import load_document, problem_message
from ..errors import PolicyError
from ..plan import field_paths
from .models import Platform, Rule, Source, Threshold

SPECIAL_FILES = {"sources.toml", "platforms.toml", "thresholds.toml", "redirects.toml"}
PLAN_FIELDS = set(field_paths())


def default_policy_dir() -> Path:
    """``policies/`` inside the installed package (a wheel), else the checkout's top-level ``policies/``."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "policies"
    if packaged.is_dir():
        return packaged
    checkout = here.parent.parent / "policies"
    if checkout.is_dir():
        return checkout
    raise PolicyError(str(packaged), "", "no policies directory found: the installation is incomplete")


@dataclass(frozen=True)
class Policy:
    """Everything the engine needs from ``policies/``: rules in id order, and what they refer to."""

    rules: tuple[Rule, ...]
    sources: Mapping[str, Source]
    platforms: tuple[Platform, ...]
    thresholds: Mapping[str, Threshold]
    redirects: Mapping[str, str] = field(default_factory=dict)
    files: tuple[str, ...] = ()

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id, following redirects of renamed ids; KeyError if none."""
        seen = set()
        current = rule_id.strip().upper()
        while current in self.redirects and current not in seen:
            seen.add(current)
            current = self.redirects[current]
        for rule in self.rules:
            if rule.id == current:
                return rule
        raise KeyError(rule_id)

    def platform_for(self, host: str) -> Optional[Platform]:
        for platform in self.platforms:
            if platform.matches_host(host):
                return platform
        return None

    def threshold_values(self, overrides: Optional[Mapping[str, float]] = None,
                         source: str = "<plan>") -> dict[str, float]:
        """Default thresholds with the plan's overrides applied; an unknown name is an error."""
        values = {name: threshold.value for name, threshold in self.thresholds.items()}
        for name, value in (overrides or {}).items():
            if name not in values:
                from ..errors import PlanError

                raise PlanError(source, f"thresholds.{name}",
                                f"unknown threshold; known: {', '.join(sorted(values))}")
            values[name] = float(value)
        return values


def _read_toml(path: Path) -> dict[str, Any]:
    data = load_document(path, PolicyError)
    return data if isinstance(data, dict) else {}


def _location(loc: Sequence[Union[int, str]], data: Mapping[str, Any]) -> str:
    """``rules[3] (ACC-001).when.of[0].field``: the rule id helps find the entry in a long file."""
    parts: list[str] = []
    node: Any = data
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
            try:
                node = node[item]
            except (IndexError, KeyError, TypeError):
                node = None
            if isinstance(node, Mapping) and isinstance(node.get("id"), str) and len(parts) == 2:
                parts.append(f" ({node['id']})")
        else:
            parts.append(("." if parts else "") + str(item))
            node = node.get(item) if isinstance(node, Mapping) else None
    return "".join(parts)


def _validate(model: type[BaseModel], data: dict[str, Any], path: Path) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        message = problem_message(error)
        more = len(exc.errors()) - 1
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise PolicyError(str(path), _location(error["loc"], data), message) from None


def _unique(items: Iterable[Any], key: str, path: Path, what: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in items:
        name = getattr(item, key)
        if name in found:
            raise PolicyError(str(path), f"{what} {name}", "defined twice")
        found[name] = item
    return found


def _check_templates(rule: Rule, path: Path) -> None:
    allowed = PLAN_FIELDS | {"target"} | set(rule.references.evidence)
    for text_field in ("message",):
        template = getattr(rule, text_field)
        try:
            names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
        except ValueError as exc:
            raise PolicyError(str(path), f"{rule.id}.{text_field}", f"bad template: {exc}") from None
        for name in names:
            if name not in allowed:
                raise PolicyError(str(path), f"{rule.id}.{text_field}", f"placeholder {{{name}}} is neither a "
                                  "plan field, 'target', nor evidence of its checks")


def load_policy(directory: Optional[Union[str, Path]] = None, extra: Sequence[Union[str, Path]] = ()) -> Policy:
    """Load ``sources``, ``platforms``, ``thresholds``, ``redirects`` and every rule pack, checking references.

    ``extra`` adds rule packs (for example an organisation's own) that may cite the same sources.
    """
    root = Path(directory) if directory is not None else default_policy_dir()
    if not root.is_dir():
        raise PolicyError(str(root), "", "not a directory")
    from .files import PlatformsFile, RedirectsFile, RulePack, SourcesFile, ThresholdsFile


    def special(name: str, model: type[BaseModel], empty: dict[str, Any]) -> Any:
        path = root / name
        data = _read_toml(path) if path.exists() else empty
        return _validate(model, data, path)

    sources_path = root / "sources.toml"
    sources = _unique(special("sources.toml", SourcesFile, {"sources": []}).sources, "id", sources_path, "source")
    platforms_path = root / "platforms.toml"
    platforms = _unique(special("platforms.toml", PlatformsFile, {"platforms": []}).platforms, "id",
                        platforms_path, "platform")
    thresholds_path = root / "thresholds.toml"
    thresholds = _unique(special("thresholds.toml", ThresholdsFile, {"thresholds": []}).thresholds, "name",
                         thresholds_path, "threshold")
    redirects = special("redirects.toml", RedirectsFile, {"redirects": {}}).redirects

    for platform in platforms.values():
        for source_id in platform.sources:
            if source_id not in sources:
                raise PolicyError(str(platforms_path), f"{platform.id}.sources", f"unknown source id {source_id!r}")

    pack_paths = sorted(p for p in root.glob("*.toml") if p.name not in SPECIAL_FILES)
    pack_paths += [Path(p) for p in extra]
    if not pack_paths:
        raise PolicyError(str(root), "", "no rule packs (*.toml with [[rules]]) in this directory")
    rules: dict[str, Rule] = {}
    rule_files: dict[str, Path] = {}
    for path in pack_paths:
        pack: RulePack = _validate(RulePack, _read_toml(path), path)
        if not pack.rules:
            raise PolicyError(str(path), "rules", "a rule pack without rules (is this file meant to be here?)")
        for rule in pack.effective_rules():
            if rule.id in rules:
                raise PolicyError(str(path), rule.id, f"rule id already defined in {rule_files[rule.id].name}")
            cited = [("sources", rule.sources), ("limits", rule.limits)]
            cited += [(f"caps[{i}].limits", cap.limits) for i, cap in enumerate(rule.caps)]
            for name, ids in cited:
                for index, source_id in enumerate(ids):
                    if source_id not in sources:
                        raise PolicyError(str(path), f"{rule.id}.{name}[{index}]", f"unknown source id {source_id!r}")
            both = sorted(set(rule.sources) & set(rule.limits))
            if both:
                raise PolicyError(str(path), f"{rule.id}.limits", f"{both[0]!r} is cited both as a source and as "
                                  "a limit; an authority either supports the rule or limits it")
            refs = rule.references
            for named, known, what in ((refs.thresholds, thresholds, "threshold"), (refs.platforms, platforms,
                                       "platform"), (refs.fields, PLAN_FIELDS, "plan field")):
                unknown = sorted(set(named) - set(known))
                if unknown:
                    raise PolicyError(str(path), f"{rule.id}.when", f"unknown {what} {unknown[0]!r}")
            _check_templates(rule, path)
            rules[rule.id] = rule
            rule_files[rule.id] = path
    for old, new in redirects.items():
        if new not in rules:
            raise PolicyError(str(root / "redirects.toml"), old, f"redirects to unknown rule {new!r}")
        if old in rules and rules[old].status != "deprecated":
            raise PolicyError(str(root / "redirects.toml"), old, "redirected id is still an active rule")

    return Policy(
        rules=tuple(rules[rule_id] for rule_id in sorted(rules)),
        sources=dict(sorted(sources.items())),
        platforms=tuple(platforms.values()),
        thresholds=thresholds,
        redirects=dict(redirects),
        files=tuple(str(p) for p in pack_paths),
    )
