"""Conditions as immutable expression trees, and their reference interpreter.

Content files state conditions in a closed vocabulary (``all``, ``any``, ``not``,
``at_least`` and comparisons of one answer with a constant). The loader parses them into
these objects; nothing in a content file is ever run as code.

Evaluation uses three-valued (Kleene) logic, because the contract says that an unanswered
question is *unknown*, never *no*:

* a comparison on an unanswered key is ``None`` (unknown);
* ``all`` is False if any part is False, True if every part is True, otherwise unknown;
* ``any`` is True if any part is True, False if every part is False, otherwise unknown;
* ``not`` swaps True and False and keeps unknown;
* ``at_least n of`` is True once n parts are True, False once fewer than n could still be.

An answer of ``null`` (allowed only for ``walking_tolerance_min``, meaning *no limit*) is
an answer: it compares as larger than any number.

``evaluate`` is the reference interpreter: short, and read by reviewers. ``compile`` turns a
tree into nested closures with the same semantics for the engine's hot path; a property test
checks that both agree on every condition in the content for arbitrary answers.
"""

from __future__ import annotations

import enum
import operator
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Final, TypeAlias

Value: TypeAlias = bool | int | float | str | None
Answers: TypeAlias = Mapping[str, Value]
Compiled: TypeAlias = Callable[[Answers], "bool | None"]


class _Missing(enum.Enum):
    MISSING = "missing"


MISSING: Final = _Missing.MISSING


class Op(enum.Enum):
    """Comparison operators of the condition vocabulary."""

    EQ = "eq"
    NE = "ne"
    IN = "in"
    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"


ORDERING_OPS: Final = frozenset({Op.GT, Op.GE, Op.LT, Op.LE})
_ORDER: Final = {Op.GT: operator.gt, Op.GE: operator.ge, Op.LT: operator.lt, Op.LE: operator.le}


class Expr(ABC):
    """A condition over a person's answers."""

    __slots__ = ()

    @abstractmethod
    def evaluate(self, answers: Answers) -> bool | None:
        """True, False, or None when unanswered questions leave it undecided."""

    @abstractmethod
    def compile(self) -> Compiled:
        """A function with the same result as ``evaluate``, for the hot path."""

    @abstractmethod
    def unknown_keys(self, answers: Answers) -> frozenset[str]:
        """The unanswered keys that keep this condition undecided (empty when decided)."""

    @abstractmethod
    def keys(self) -> frozenset[str]:
        """Every answer key the condition reads."""

    @abstractmethod
    def describe(self) -> str:
        """The condition in readable form, for the rules catalogue."""


def _fmt_value(value: Value | tuple[Value, ...]) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_fmt_value(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_SYMBOL = {Op.EQ: "=", Op.NE: "≠", Op.IN: "in", Op.GT: ">", Op.GE: "≥", Op.LT: "<", Op.LE: "≤"}


#: ``answer OP constant`` is ``constant REFLECTED answer``: lets a partial stay in C.
_REFLECTED: Final = {Op.GT: operator.lt, Op.GE: operator.le, Op.LT: operator.gt, Op.LE: operator.ge}


def _test(op: Op, constant: Value | tuple[Value, ...], nullable: bool) -> Callable[[Value], bool]:
    """The comparison of an answer with ``constant``, chosen once when the tree is built."""
    if op is Op.EQ:
        return partial(operator.eq, constant)
    if op is Op.NE:
        return partial(operator.ne, constant)
    if op is Op.IN:
        return frozenset(constant).__contains__  # type: ignore[arg-type]
    if not nullable:
        return partial(_REFLECTED[op], constant)  # type: ignore[arg-type]
    order = _ORDER[op]
    no_limit = op in (Op.GT, Op.GE)  # null ("no limit") is larger than any number

    def ordered(answer: Value) -> bool:
        return no_limit if answer is None else bool(order(answer, constant))  # type: ignore[arg-type]

    return ordered


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    """``key op value``: one answer against a constant.

    ``nullable`` says the key may be answered ``null`` (no limit); only then does the compiled
    comparison check for it. The reference ``evaluate`` always does.
    """

    key: str
    op: Op
    value: Value | tuple[Value, ...]
    nullable: bool = False
    _test: Callable[[Value], bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_test", _test(self.op, self.value, self.nullable))

    def evaluate(self, answers: Answers) -> bool | None:
        answer = answers.get(self.key, MISSING)
        if answer is MISSING:
            return None
        if self.op is Op.EQ:
            return answer == self.value
        if self.op is Op.NE:
            return answer != self.value
        if self.op is Op.IN:
            return answer in self.value  # type: ignore[operator]
        if answer is None:  # "no limit": larger than any number
            return self.op in (Op.GT, Op.GE)
        return bool(_ORDER[self.op](answer, self.value))  # type: ignore[arg-type]

    def compile(self) -> Compiled:
        key, test, missing, constant = self.key, self._test, MISSING, self.value
        if self.op is Op.EQ:  # the commonest form, inlined

            def equals(answers: Answers) -> bool | None:
                answer = answers.get(key, missing)
                return None if answer is missing else answer == constant

            return equals

        def compare(answers: Answers) -> bool | None:
            answer = answers.get(key, missing)
            return None if answer is missing else test(answer)

        return compare

    def unknown_keys(self, answers: Answers) -> frozenset[str]:
        return frozenset((self.key,)) if self.key not in answers else frozenset()

    def keys(self) -> frozenset[str]:
        return frozenset((self.key,))

    def describe(self) -> str:
        return f"{self.key} {_SYMBOL[self.op]} {_fmt_value(self.value)}"


def _split(
    parts: tuple[Expr, ...],
) -> tuple[tuple[tuple[str, Callable[[Value], bool]], ...], tuple[Compiled, ...]]:
    """Comparisons to inline as (key, test) pairs, and the other parts compiled.

    Evaluation order cannot change a three-valued ``all`` or ``any`` (nothing has side
    effects), so the cheap comparisons run first.
    """
    leaves = tuple((p.key, p._test) for p in parts if isinstance(p, Compare))
    others = tuple(p.compile() for p in parts if not isinstance(p, Compare))
    return leaves, others


@dataclass(frozen=True, slots=True)
class AllOf(Expr):
    """Every part holds."""

    parts: tuple[Expr, ...]

    def evaluate(self, answers: Answers) -> bool | None:
        unknown = False
        for part in self.parts:
            result = part.evaluate(answers)
            if result is False:
                return False
            if result is None:
                unknown = True
        return None if unknown else True

    def compile(self) -> Compiled:
        leaves, parts = _split(self.parts)
        missing = MISSING

        def all_of(answers: Answers) -> bool | None:
            unknown = False
            get = answers.get
            for key, test in leaves:
                answer = get(key, missing)
                if answer is missing:
                    unknown = True
                elif not test(answer):
                    return False
            for part in parts:
                result = part(answers)
                if result is False:
                    return False
                if result is None:
                    unknown = True
            return None if unknown else True

        return all_of

    def unknown_keys(self, answers: Answers) -> frozenset[str]:
        if self.evaluate(answers) is not None:
            return frozenset()
        return frozenset().union(*(p.unknown_keys(answers) for p in self.parts))

    def keys(self) -> frozenset[str]:
        return frozenset().union(*(p.keys() for p in self.parts))

    def describe(self) -> str:
        return "(" + " AND ".join(p.describe() for p in self.parts) + ")"


@dataclass(frozen=True, slots=True)
class AnyOf(Expr):
    """At least one part holds."""

    parts: tuple[Expr, ...]

    def evaluate(self, answers: Answers) -> bool | None:
        unknown = False
        for part in self.parts:
            result = part.evaluate(answers)
            if result is True:
                return True
            if result is None:
                unknown = True
        return None if unknown else False

    def compile(self) -> Compiled:
        leaves, parts = _split(self.parts)
        missing = MISSING

        def any_of(answers: Answers) -> bool | None:
            unknown = False
            get = answers.get
            for key, test in leaves:
                answer = get(key, missing)
                if answer is missing:
                    unknown = True
                elif test(answer):
                    return True
            for part in parts:
                result = part(answers)
                if result is True:
                    return True
                if result is None:
                    unknown = True
            return None if unknown else False

        return any_of

    def unknown_keys(self, answers: Answers) -> frozenset[str]:
        if self.evaluate(answers) is not None:
            return frozenset()
        return frozenset().union(*(p.unknown_keys(answers) for p in self.parts))

    def keys(self) -> frozenset[str]:
        return frozenset().union(*(p.keys() for p in self.parts))

    def describe(self) -> str:
        return "(" + " OR ".join(p.describe() for p in self.parts) + ")"


@dataclass(frozen=True, slots=True)
class Not(Expr):
    """The part does not hold."""

    part: Expr

    def evaluate(self, answers: Answers) -> bool | None:
        result = self.part.evaluate(answers)
        return None if result is None else not result

    def compile(self) -> Compiled:
        part = self.part.compile()

        def negate(answers: Answers) -> bool | None:
            result = part(answers)
            return None if result is None else not result

        return negate

    def unknown_keys(self, answers: Answers) -> frozenset[str]:
        return self.part.unknown_keys(answers)

    def keys(self) -> frozenset[str]:
        return self.part.keys()

    def describe(self) -> str:
        return f"NOT {self.part.describe()}"


@dataclass(frozen=True, slots=True)
class AtLeast(Expr):
    """At least ``count`` of the parts hold."""

    count: int
    parts: tuple[Expr, ...]

    def evaluate(self, answers: Answers) -> bool | None:
        true = unknown = 0
        for part in self.parts:
            result = part.evaluate(answers)
            if result is True:
                true += 1
            elif result is None:
                unknown += 1
        if true >= self.count:
            return True
        if true + unknown < self.count:
            return False
        return None

    def compile(self) -> Compiled:
        parts = tuple(p.compile() for p in self.parts)
        count = self.count

        def at_least(answers: Answers) -> bool | None:
            true = unknown = 0
            for part in parts:
                result = part(answers)
                if result is True:
                    true += 1
                elif result is None:
                    unknown += 1
            if true >= count:
                return True
            if true + unknown < count:
                return False
            return None

        return at_least

    def unknown_keys(self, answers: Answers) -> frozenset[str]:
        if self.evaluate(answers) is not None:
            return frozenset()
        return frozenset().union(*(p.unknown_keys(answers) for p in self.parts))

    def keys(self) -> frozenset[str]:
        return frozenset().union(*(p.keys() for p in self.parts))

    def describe(self) -> str:
        inner = "; ".join(p.describe() for p in self.parts)
        return f"AT LEAST {self.count} OF ({inner})"
