"""The Ombudsman assessment methodology of one edition as validated domain data (domain layer).

A methodology document (content/metodologi/<edition>.yaml, already parsed into plain mappings)
describes dimensions, variables, indicators with self-check questions, result categories and,
for 2025, the public-trust component. This module checks such a document and turns it into frozen
dataclasses; the arithmetic lives in ``scoring.py``.

Weight rules (the same words are in the YAML files, in Indonesian):

* ``dimensions[].weight`` is a percentage of the four-dimension block; the dimension weights add up
  to 100. ``dimensions_share`` (default 100) is the block's percentage of the unit score. In 2025
  the block is 70 and ``trust.weight`` (kepercayaan masyarakat) is 30; the two add up to 100.
* ``indicators[].weight`` is a percentage of the indicator's **dimension** (not of its variable),
  because the one published indicator weight (12,22 % for knowledge of the service-standard
  components) is stated as a share of the Input dimension. The indicator weights of a dimension
  add up to 100. A variable has no weight of its own: it weighs the sum of its indicators.
* Any weight may be left out. Left-out weights in a group share what the written ones leave of 100
  equally (so "12.22 and fourteen blanks" gives 6.27 each). If every weight of a group is written,
  they must add up to exactly 100.

``extends: "2023"`` makes a document start from another edition: every top-level key written in
the extending document replaces the base's key of the same name (a shallow merge), and
``extends`` chains are followed. Problem paths then refer to the merged document: a path whose
first key is not written in the extending document points into the base document.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from itertools import pairwise
from typing import Any

from bot.domain.errors import InvalidMethodology, Problem

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Path = tuple[str | int, ...]


class Zone(Enum):
    """Colour zone of a result."""

    HIJAU = "hijau"
    KUNING = "kuning"
    MERAH = "merah"


class Certainty(Enum):
    """How sure we are of a modelled item (brief tags [C] / [S] / [U])."""

    PASTI = "pasti"
    SATU_SUMBER = "satu-sumber"
    BELUM_PASTI = "belum-pasti"


@dataclass(frozen=True)
class Option:
    """One self-check answer and the interval value it stands for."""

    value: int
    label: str


@dataclass(frozen=True)
class Indicator:
    """One assessed indicator with its self-check question.

    ``weight`` is a percentage of the dimension; ``weight_is_default`` tells whether it was
    written in the document or filled in by the equal-share rule.
    """

    id: str
    name: str
    weight: Decimal
    question: str
    options: tuple[Option, ...]
    evidence: str
    topic: str
    certainty: Certainty
    note: str | None = None
    weight_is_default: bool = False

    @property
    def best(self) -> Option:
        """The option with the highest value."""
        return max(self.options, key=lambda option: option.value)


@dataclass(frozen=True)
class Variable:
    """A group of indicators inside a dimension; it weighs the sum of its indicators."""

    id: str
    name: str
    indicators: tuple[Indicator, ...]

    @property
    def weight(self) -> Decimal:
        """Percentage of the dimension (sum of the indicator weights)."""
        return sum((indicator.weight for indicator in self.indicators), Decimal(0))


@dataclass(frozen=True)
class Dimension:
    """A dimension (or the 2025 public-trust component) with its variables.

    For the four dimensions ``weight`` is a percentage of the dimension block; for the trust
    component it is a percentage of the unit score.
    """

    id: str
    name: str
    weight: Decimal
    variables: tuple[Variable, ...]
    description: str | None = None

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator of the dimension, in document order."""
        return tuple(ind for variable in self.variables for ind in variable.indicators)


@dataclass(frozen=True)
class Category:
    """A result class with its closed score range (two decimals)."""

    code: str
    label: str
    min: Decimal
    max: Decimal
    zone: Zone | None = None
    note: str | None = None  # said under the category, e.g. that the ranges are assumed

    def contains(self, score: Decimal) -> bool:
        """Whether a two-decimal score falls inside the range."""
        return self.min <= score <= self.max


@dataclass(frozen=True)
class OpinionSuffix:
    """The 2025 "Tanpa Maladministrasi" suffix and the condition under which it applies."""

    label: str
    condition: str


@dataclass(frozen=True)
class Methodology:
    """One edition of the assessment method."""

    id: str
    name: str
    scale_min: int
    scale_max: int
    categories: tuple[Category, ...]  # highest range first
    dimensions: tuple[Dimension, ...] = ()
    dimensions_share: Decimal = HUNDRED
    trust: Dimension | None = None
    caveats: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    opinion_suffix: OpinionSuffix | None = None
    extends: str | None = None
    all_dimensions: tuple[Dimension, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        extra = (self.trust,) if self.trust is not None else ()
        object.__setattr__(self, "all_dimensions", self.dimensions + extra)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, trust component included, in document order."""
        return tuple(ind for dim in self.all_dimensions for ind in dim.indicators)

    def indicator(self, indicator_id: str) -> Indicator | None:
        """The indicator with this id, or None."""
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        return None


_TOP_KEYS = {
    "id",
    "name",
    "extends",
    "updated",
    "scale",
    "caveats",
    "sources",
    "dimensions_share",
    "dimensions",
    "trust",
    "categories",
    "categories_note",
    "opinion_suffix",
}
_DIMENSION_KEYS = {"id", "name", "weight", "description", "variables"}
_VARIABLE_KEYS = {"id", "name", "description", "indicators"}
_INDICATOR_KEYS = {
    "id",
    "name",
    "weight",
    "question",
    "options",
    "evidence",
    "topic",
    "certainty",
    "note",
}
_OPTION_KEYS = {"value", "label"}
_CATEGORY_KEYS = {"code", "label", "min", "max", "zone"}
_SUFFIX_KEYS = {"label", "condition"}
_SCALE_KEYS = {"min", "max"}


def methodology_from_dict(
    data: Mapping[str, Any],
    *,
    known_topics: set[str] | None = None,
    bases: Mapping[str, Mapping[str, Any]] | None = None,
) -> Methodology:
    """Validate a parsed methodology document and build the domain object.

    Args:
        data: the parsed YAML document.
        known_topics: Q&A topic ids; when given, every indicator topic must be one of them.
        bases: other editions' parsed documents by edition id, used to resolve ``extends``.

    Raises:
        InvalidMethodology: with every problem found.
    """
    reader = _Reader(known_topics)
    built = reader.read(data, bases or {})
    if reader.problems or built is None:
        raise InvalidMethodology(reader.problems)
    return built


def validate_methodology(
    data: Mapping[str, Any],
    *,
    known_topics: set[str] | None = None,
    bases: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Problem]:
    """Return every problem of a parsed methodology document (empty when it is valid)."""
    reader = _Reader(known_topics)
    reader.read(data, bases or {})
    return reader.problems


def resolve_extends(
    data: Mapping[str, Any], bases: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, Any], list[Problem]]:
    """Apply ``extends`` chains: the extending document's top-level keys win (shallow merge)."""
    merged: dict[str, Any] = dict(data)
    seen: list[str] = [str(data.get("id"))]
    current: Mapping[str, Any] = data
    while "extends" in current:
        parent_id = current["extends"]
        if not isinstance(parent_id, str):
            return merged, [Problem(("extends",), "extends must be an edition id in quotes")]
        if parent_id in seen:
            chain = " -> ".join([*seen, parent_id])
            return merged, [Problem(("extends",), f"extends forms a cycle: {chain}")]
        parent = bases.get(parent_id)
        if parent is None:
            return merged, [
                Problem(("extends",), f"extends {parent_id!r} does not resolve: no such edition")
            ]
        seen.append(parent_id)
        for key, value in parent.items():
            if key not in merged and key != "extends":
                merged[key] = value
        current = parent
    if "extends" in data:
        merged["extends"] = data["extends"]
    return merged, []


def _decimal(value: object) -> Decimal | None:
    """Read a number written in YAML (int, float, or a string with '.' or ',')."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", ".")
    else:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _fmt(number: Decimal) -> str:
    return f"{number.quantize(CENT):f}" if number == number.quantize(CENT) else f"{number:f}"


class _Reader:
    """Walk a document once, collecting problems and building dataclasses."""

    def __init__(self, known_topics: set[str] | None) -> None:
        self.known_topics = known_topics
        self.problems: list[Problem] = []
        self._ids: dict[str, Path] = {}

    def problem(self, path: Path, reason: str) -> None:
        self.problems.append(Problem(path, reason))

    # -- small readers -------------------------------------------------------------------

    def mapping(self, value: object, path: Path, allowed: set[str]) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.problem(path, f"expected a mapping, got {type(value).__name__}")
            return None
        for key in value:
            if key not in allowed:
                self.problem(
                    (*path, str(key)),
                    f"unknown key {key!r}; allowed: " + ", ".join(sorted(allowed)),
                )
        return value

    def text(
        self, node: Mapping[str, Any], key: str, path: Path, *, required: bool = True
    ) -> str | None:
        value = node.get(key)
        if value is None:
            if required:
                self.problem((*path, key), f"{key} is missing")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem((*path, key), f"{key} must be non-empty text")
            return None
        return value.strip()

    def slug(self, node: Mapping[str, Any], key: str, path: Path) -> str | None:
        value = node.get(key)
        if not isinstance(value, str) or not _SLUG.match(value):
            self.problem(
                (*path, key), f"{key} must be a slug like 'kompetensi-pelaksana', got {value!r}"
            )
            return None
        return value

    def unique_id(self, node: Mapping[str, Any], path: Path) -> str | None:
        ident = self.slug(node, "id", path)
        if ident is None:
            return None
        if ident in self._ids:
            first = "/".join(str(part) for part in self._ids[ident])
            self.problem((*path, "id"), f"duplicate id {ident!r} (first used at {first})")
        else:
            self._ids[ident] = (*path, "id")
        return ident

    def items(
        self, node: Mapping[str, Any], key: str, path: Path, *, required: bool = True
    ) -> list[Any]:
        value = node.get(key)
        if value is None:
            if required:
                self.problem((*path, key), f"{key} is missing")
            return []
        if not isinstance(value, list):
            self.problem((*path, key), f"{key} must be a list")
            return []
        if not value and required:
            self.problem((*path, key), f"{key} must not be empty")
        return value

    def weight(self, node: Mapping[str, Any], path: Path) -> Decimal | None:
        if node.get("weight") is None:
            return None
        number = _decimal(node["weight"])
        if number is None or number <= 0:
            self.problem(
                (*path, "weight"), f"weight must be a positive number, got {node['weight']!r}"
            )
            return Decimal(0)
        return number

    def share_out(
        self, written: list[Decimal | None], path: Path, what: str
    ) -> list[tuple[Decimal, bool]]:
        """Fill left-out weights with equal shares of what the written ones leave of 100."""
        given = [w for w in written if w is not None]
        total = sum(given, Decimal(0))
        blanks = len(written) - len(given)
        if blanks == 0:
            if total != HUNDRED and written:
                self.problem(path, f"{what} weights add up to {_fmt(total)}, expected 100.00")
            return [(w, False) for w in given]
        if total >= HUNDRED:
            self.problem(
                path,
                f"{what} weights written add up to {_fmt(total)}, leaving "
                f"nothing for the {blanks} without a weight",
            )
            return [(w if w is not None else Decimal(0), w is None) for w in written]
        default = (HUNDRED - total) / blanks
        return [(w, False) if w is not None else (default, True) for w in written]

    # -- document ------------------------------------------------------------------------

    def read(
        self, data: Mapping[str, Any], bases: Mapping[str, Mapping[str, Any]]
    ) -> Methodology | None:
        if not isinstance(data, Mapping):
            self.problem((), "a methodology document must be a mapping")
            return None
        merged, problems = resolve_extends(data, bases)
        self.problems.extend(problems)
        doc = self.mapping(merged, (), _TOP_KEYS)
        if doc is None:
            return None
        ident = doc.get("id")
        if not isinstance(ident, str) or not re.fullmatch(r"\d{4}", ident):
            self.problem(
                ("id",), f'id must be an edition year in quotes like "2023", got {ident!r}'
            )
        name = self.text(doc, "name", ())
        scale = self.scale(doc)
        caveats = self.texts(doc, "caveats")
        sources = self.texts(doc, "sources")
        dimensions = self.dimensions(doc, scale)
        trust = self.trust(doc, scale)
        share = self.dimensions_share(doc, trust, bool(dimensions))
        categories = self.categories(doc)
        suffix = self.suffix(doc)
        if self.problems or name is None or scale is None or not isinstance(ident, str):
            return None
        extends = doc.get("extends")
        return Methodology(
            id=ident,
            name=name,
            scale_min=scale[0],
            scale_max=scale[1],
            categories=categories,
            dimensions=dimensions,
            dimensions_share=share,
            trust=trust,
            caveats=caveats,
            sources=sources,
            opinion_suffix=suffix,
            extends=extends if isinstance(extends, str) else None,
        )

    def texts(self, doc: Mapping[str, Any], key: str) -> tuple[str, ...]:
        result: list[str] = []
        for index, item in enumerate(self.items(doc, key, (), required=False)):
            if not isinstance(item, str) or not item.strip():
                self.problem((key, index), f"{key} entries must be non-empty text")
            else:
                result.append(item.strip())
        return tuple(result)

    def scale(self, doc: Mapping[str, Any]) -> tuple[int, int] | None:
        if doc.get("scale") is None and not doc.get("dimensions") and not doc.get("trust"):
            return 0, 3  # a classification-only edition (2021) needs no indicator scale
        node = self.mapping(doc.get("scale"), ("scale",), _SCALE_KEYS)
        if node is None:
            return None
        low, high = node.get("min"), node.get("max")
        if not isinstance(low, int) or isinstance(low, bool) or low < 0:
            self.problem(("scale", "min"), f"scale min must be a whole number >= 0, got {low!r}")
            return None
        if not isinstance(high, int) or isinstance(high, bool) or high <= low:
            self.problem(
                ("scale", "max"), f"scale max must be a whole number above min, got {high!r}"
            )
            return None
        return low, high

    def dimensions(
        self, doc: Mapping[str, Any], scale: tuple[int, int] | None
    ) -> tuple[Dimension, ...]:
        raw = self.items(doc, "dimensions", (), required=False)
        nodes: list[tuple[Path, Mapping[str, Any]]] = []
        for index, item in enumerate(raw):
            path: Path = ("dimensions", index)
            node = self.mapping(item, path, _DIMENSION_KEYS)
            if node is not None:
                nodes.append((path, node))
        weights = self.share_out(
            [self.weight(node, path) for path, node in nodes], ("dimensions",), "dimension"
        )
        return tuple(
            dim
            for (path, node), (weight, _) in zip(nodes, weights, strict=True)
            if (dim := self.dimension(node, path, weight, scale)) is not None
        )

    def trust(self, doc: Mapping[str, Any], scale: tuple[int, int] | None) -> Dimension | None:
        if doc.get("trust") is None:
            return None
        node = self.mapping(doc["trust"], ("trust",), _DIMENSION_KEYS)
        if node is None:
            return None
        weight = self.weight(node, ("trust",))
        if weight is None:
            self.problem(
                ("trust", "weight"), "trust weight (percent of the unit score) is missing"
            )
            return None
        if weight >= HUNDRED:
            self.problem(("trust", "weight"), f"trust weight {_fmt(weight)} must be below 100")
        return self.dimension(node, ("trust",), weight, scale)

    def dimensions_share(
        self, doc: Mapping[str, Any], trust: Dimension | None, has_dimensions: bool
    ) -> Decimal:
        raw = doc.get("dimensions_share")
        trust_weight = trust.weight if trust is not None else Decimal(0)
        if raw is None:
            return HUNDRED - trust_weight
        share = _decimal(raw)
        if share is None or share <= 0:
            self.problem(
                ("dimensions_share",), f"dimensions_share must be a positive number, got {raw!r}"
            )
            return HUNDRED - trust_weight
        if share + trust_weight != HUNDRED:
            self.problem(
                ("dimensions_share",),
                f"dimensions_share {_fmt(share)} and trust "
                f"weight {_fmt(trust_weight)} add up to {_fmt(share + trust_weight)}, "
                "expected 100.00",
            )
        if not has_dimensions:
            self.problem(
                ("dimensions_share",), "dimensions_share given but there are no dimensions"
            )
        return share

    def dimension(
        self, node: Mapping[str, Any], path: Path, weight: Decimal, scale: tuple[int, int] | None
    ) -> Dimension | None:
        ident = self.unique_id(node, path)
        name = self.text(node, "name", path)
        description = self.text(node, "description", path, required=False)
        variables: list[tuple[Path, Mapping[str, Any]]] = []
        for index, item in enumerate(self.items(node, "variables", path)):
            var_path: Path = (*path, "variables", index)
            var = self.mapping(item, var_path, _VARIABLE_KEYS)
            if var is not None:
                if "weight" in var:
                    self.problem(
                        (*var_path, "weight"),
                        "variables have no weight of their "
                        "own; write indicator weights (percent of the dimension)",
                    )
                variables.append((var_path, var))
        # Indicator weights are shares of the dimension, so they are filled in dimension-wide.
        indicator_nodes: list[tuple[Path, Mapping[str, Any]]] = []
        per_variable: list[list[int]] = []
        for var_path, var in variables:
            slots: list[int] = []
            for index, item in enumerate(self.items(var, "indicators", var_path)):
                ind_path: Path = (*var_path, "indicators", index)
                ind = self.mapping(item, ind_path, _INDICATOR_KEYS)
                if ind is not None:
                    slots.append(len(indicator_nodes))
                    indicator_nodes.append((ind_path, ind))
            per_variable.append(slots)
        label = f"indicator (dimension {ident or path[-1]})"
        weights = self.share_out(
            [self.weight(ind, p) for p, ind in indicator_nodes], (*path, "variables"), label
        )
        indicators = [
            self.indicator(ind, p, weight, default, scale)
            for (p, ind), (weight, default) in zip(indicator_nodes, weights, strict=True)
        ]
        built_variables: list[Variable] = []
        for (var_path, var), slots in zip(variables, per_variable, strict=True):
            var_id = self.unique_id(var, var_path)
            var_name = self.text(var, "name", var_path)
            self.text(var, "description", var_path, required=False)
            members = [indicators[slot] for slot in slots]
            if var_id and var_name and all(member is not None for member in members):
                built_variables.append(
                    Variable(var_id, var_name, tuple(m for m in members if m is not None))
                )
        if ident is None or name is None:
            return None
        return Dimension(ident, name, weight, tuple(built_variables), description)

    def indicator(
        self,
        node: Mapping[str, Any],
        path: Path,
        weight: Decimal,
        default: bool,
        scale: tuple[int, int] | None,
    ) -> Indicator | None:
        ident = self.unique_id(node, path)
        name = self.text(node, "name", path)
        question = self.text(node, "question", path)
        evidence = self.text(node, "evidence", path)
        note = self.text(node, "note", path, required=False)
        topic = self.slug(node, "topic", path)
        if topic is not None and self.known_topics is not None and topic not in self.known_topics:
            self.problem(
                (*path, "topic"), f"topic {topic!r} does not resolve to a known Q&A topic"
            )
        certainty: Certainty | None = None
        try:
            certainty = Certainty(node.get("certainty"))
        except ValueError:
            self.problem(
                (*path, "certainty"),
                "certainty must be one of pasti, satu-sumber, "
                f"belum-pasti, got {node.get('certainty')!r}",
            )
        options = self.options(node, path, scale)
        if (
            ident is None
            or name is None
            or question is None
            or evidence is None
            or topic is None
            or certainty is None
            or options is None
        ):
            return None
        return Indicator(
            ident, name, weight, question, options, evidence, topic, certainty, note, default
        )

    def options(
        self, node: Mapping[str, Any], path: Path, scale: tuple[int, int] | None
    ) -> tuple[Option, ...] | None:
        raw = self.items(node, "options", path)
        opt_path: Path = (*path, "options")
        if raw and not 2 <= len(raw) <= 4:
            self.problem(opt_path, f"an indicator needs 2 to 4 options, got {len(raw)}")
        options: list[Option] = []
        ok = bool(raw)
        for index, item in enumerate(raw):
            item_path: Path = (*opt_path, index)
            option = self.mapping(item, item_path, _OPTION_KEYS)
            if option is None:
                ok = False
                continue
            value = option.get("value")
            label = self.text(option, "label", item_path)
            if not isinstance(value, int) or isinstance(value, bool):
                self.problem(
                    (*item_path, "value"), f"option value must be a whole number, got {value!r}"
                )
                ok = False
                continue
            if scale is not None and not scale[0] <= value <= scale[1]:
                self.problem(
                    (*item_path, "value"),
                    f"option value {value} is outside the scale {scale[0]}..{scale[1]}",
                )
                ok = False
            if any(existing.value == value for existing in options):
                self.problem((*item_path, "value"), f"option value {value} appears twice")
                ok = False
            if label is None:
                ok = False
                continue
            options.append(Option(value, label))
        if scale is not None and raw and all(o.value != scale[1] for o in options) and ok:
            self.problem(opt_path, f"options must include the scale maximum {scale[1]}")
            ok = False
        return tuple(options) if ok else None

    def categories(self, doc: Mapping[str, Any]) -> tuple[Category, ...]:
        built: list[tuple[int, Category]] = []
        codes: set[str] = set()
        note = self.text(doc, "categories_note", (), required=False)
        for index, item in enumerate(self.items(doc, "categories", ())):
            path: Path = ("categories", index)
            node = self.mapping(item, path, _CATEGORY_KEYS)
            if node is None:
                continue
            code = node.get("code")
            if not isinstance(code, str) or not code.strip():
                self.problem((*path, "code"), "code must be non-empty text")
                continue
            if code in codes:
                self.problem((*path, "code"), f"duplicate category code {code!r}")
            codes.add(code)
            label = self.text(node, "label", path)
            low, high = self.bound(node, "min", path), self.bound(node, "max", path)
            zone: Zone | None = None
            if node.get("zone") is not None:
                try:
                    zone = Zone(node["zone"])
                except ValueError:
                    self.problem(
                        (*path, "zone"),
                        f"zone must be hijau, kuning or merah, got {node['zone']!r}",
                    )
            if label is None or low is None or high is None:
                continue
            if low > high:
                self.problem(
                    (*path, "min"),
                    f"category {code} starts at {_fmt(low)}, above its end {_fmt(high)}",
                )
                continue
            built.append((index, Category(code, label, low, high, zone, note)))
        self.contiguity(built)
        return tuple(sorted((c for _, c in built), key=lambda c: c.min, reverse=True))

    def bound(self, node: Mapping[str, Any], key: str, path: Path) -> Decimal | None:
        number = _decimal(node.get(key))
        if number is None or not Decimal(0) <= number <= HUNDRED:
            self.problem(
                (*path, key), f"{key} must be a number from 0 to 100, got {node.get(key)!r}"
            )
            return None
        if number != number.quantize(CENT):
            self.problem((*path, key), f"{key} {number} has more than two decimals")
            return None
        return number

    def contiguity(self, built: list[tuple[int, Category]]) -> None:
        if not built:
            return
        ordered = sorted(built, key=lambda pair: pair[1].min)
        first_index, first = ordered[0]
        if first.min != 0:
            self.problem(
                ("categories", first_index, "min"),
                f"categories start at {_fmt(first.min)}, expected 0.00",
            )
        last_index, last = ordered[-1]
        if last.max != HUNDRED:
            self.problem(
                ("categories", last_index, "max"),
                f"categories end at {_fmt(last.max)}, expected 100.00",
            )
        for (_, lower), (index, upper) in pairwise(ordered):
            expected = lower.max + CENT
            if upper.min > expected:
                self.problem(
                    ("categories", index, "min"),
                    f"gap between categories "
                    f"{lower.code} and {upper.code}: {_fmt(lower.max)} is followed by "
                    f"{_fmt(upper.min)}, expected {_fmt(expected)}",
                )
            elif upper.min < expected:
                self.problem(
                    ("categories", index, "min"),
                    f"categories {lower.code} and "
                    f"{upper.code} overlap: {lower.code} ends at {_fmt(lower.max)}, "
                    f"{upper.code} starts at {_fmt(upper.min)}, expected "
                    f"{_fmt(expected)}",
                )

    def suffix(self, doc: Mapping[str, Any]) -> OpinionSuffix | None:
        if doc.get("opinion_suffix") is None:
            return None
        node = self.mapping(doc["opinion_suffix"], ("opinion_suffix",), _SUFFIX_KEYS)
        if node is None:
            return None
        label = self.text(node, "label", ("opinion_suffix",))
        condition = self.text(node, "condition", ("opinion_suffix",))
        if label is None or condition is None:
            return None
        return OpinionSuffix(label, condition)
