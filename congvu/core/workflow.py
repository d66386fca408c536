"""Workflows as data: the transitions of a state machine (from, to, who may, the texts it needs)
and the one function that decides a move. Pure: no database. The service that applies a move
and writes its audit record is ``core.transitions.transition_apply``.

Each capability declares its ``Machine`` once (evaluations, citizens' reports, supervision
findings, and the plans, inspections and emulation to come) with its own Vietnamese refusals;
``decide`` checks, in order: the move exists, the state allows it and the actor's roles may
make it (or the roles first, for machines whose actors must not learn the state), then the
texts the move needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Transition:
    """``move`` takes an object from any of ``sources`` to ``target``. ``roles``: who may make
    it (empty: whoever may act on the object at all). ``needs``: (text name, refusal when that
    text is blank), checked in order."""

    move: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str] = frozenset()
    needs: tuple[tuple[str, str], ...] = ()

    def may(self, roles: frozenset[str] | None) -> bool:
        return roles is None or not self.roles or bool(self.roles & roles)


@dataclass(frozen=True, slots=True)
class Decision:
    """The new state, or why not (``refusal``, ready to show)."""

    target: str | None
    refusal: str | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None


@dataclass(frozen=True)
class Machine:
    """A state machine's transitions and refusals. ``unknown_move(move)``,
    ``wrong_state(move, state)`` and ``wrong_role(move, transitions)`` give the refusal texts
    (``transitions``: those of the move the actor could not make)."""

    transitions: tuple[Transition, ...]
    unknown_move: Callable[[str], str]
    wrong_state: Callable[[str, str], str]
    wrong_role: Callable[[str, Sequence[Transition]], str] = lambda move, ts: "Không có quyền."
    roles_first: bool = False

    def moves(self) -> frozenset[str]:
        return frozenset(t.move for t in self.transitions)

    def decide(
        self, state: str, move: str, roles: Iterable[str] | None = None, **texts: str
    ) -> Decision:
        """May ``move`` be made from ``state`` by an actor with ``roles`` (None: roles are not
        this machine's concern) with these texts? Whitespace counts as empty."""
        held = None if roles is None else frozenset(roles)
        of_move = [t for t in self.transitions if t.move == move]
        if not of_move:
            return Decision(None, self.unknown_move(move))
        if self.roles_first:
            allowed = [t for t in of_move if t.may(held)]
            if not allowed:
                return Decision(None, self.wrong_role(move, of_move))
            matching = [t for t in allowed if state in t.sources]
            if not matching:
                return Decision(None, self.wrong_state(move, state))
        else:
            from_state = [t for t in of_move if state in t.sources]
            if not from_state:
                return Decision(None, self.wrong_state(move, state))
            matching = [t for t in from_state if t.may(held)]
            if not matching:
                return Decision(None, self.wrong_role(move, from_state))
        rule = matching[0]
        for name, refusal in rule.needs:
            if not str(texts.get(name, "") or "").strip():
                return Decision(None, refusal)
        return Decision(rule.target)

    def moves_for(self, state: str, roles: Iterable[str] | None = None) -> list[str]:
        """The moves the actor may make now (buttons), once each, in declaration order."""
        held = None if roles is None else frozenset(roles)
        found: list[str] = []
        for t in self.transitions:
            if state in t.sources and t.may(held) and t.move not in found:
                found.append(t.move)
        return found

    def targets(self) -> frozenset[str]:
        return frozenset(t.target for t in self.transitions)
