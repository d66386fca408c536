"""R5 (QUALITY.md): a hypothesis state machine over the evaluation SERVICES and the database.

Random actors make random moves (and the right actor the plausible next move, so that runs
reach publication and reopening). After every step:
- no illegal transition succeeded (each success is allowed by the pure workflow for the roles
  the actor holds, computed here independently of the permission module);
- every successful move wrote exactly one Transition row and one AuditLog row, and a refused
  one wrote nothing and changed nothing;
- a published evaluation's scores never change until it is reopened;
- a concluded or published level equals a recomputation from the raw score rows.
"""

from decimal import Decimal
from fractions import Fraction
from math import floor

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from congvu.accounts.models import User
from congvu.core.models import AuditLog
from congvu.evaluations import regimes, rules, services, workflow
from congvu.evaluations.models import CriterionScore, Evaluation, Transition
from congvu.evaluations.services import ManagerScore, SelfScore
from congvu.evaluations.tests import factories as f
from congvu.standards.models import Criterion

pytestmark = pytest.mark.django_db

ACTORS = ["staff", "head_syt", "council", "snv", "head_stp", "outsider"]
SUBJECTS = ["syt_cc", "head_syt"]  # An (manager: the head) and the head (no manager above)
MOVES = [m.value for m in workflow.Move]
AUDITED = [f"evaluation.{m}" for m in MOVES]
COMMENTS = st.sampled_from(["", "  ", "Cần xem lại"])
PATH = ["draft", "submitted", "reviewed", "concluded", "published"]


def expected_roles(actor: str, subject: str) -> set[str]:
    """Who is who in the test province, written out by hand."""
    if subject == "syt_cc":
        return {
            "staff": {"self"},
            "head_syt": {"manager", "council"},
            "council": {"council"},
            "snv": {"noi_vu"},
        }.get(actor, set())
    return {"head_syt": {"self"}, "council": {"manager", "council"}, "snv": {"noi_vu"}}.get(
        actor, set()
    )


class EvaluationWorkflow(RuleBasedStateMachine):
    province = None  # set by the test
    version = None
    reached: set[str] = set()  # moves that succeeded at least once, over all examples

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()  # one savepoint per example, rolled back in teardown
        p = self.province
        self.users = {name: User.objects.get(pk=p[name].pk) for name in ACTORS}
        cycle = f.cycle(self.users["head_syt"], self.version, p.units["syt"])
        self.ids = [f.evaluation_of(cycle, p.staff[s]).pk for s in SUBJECTS]
        self.frozen: dict[int, list] = {}

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- observation -----------------------------------------------------------------

    def _scores(self, pk: int) -> list:
        return list(
            CriterionScore.objects.filter(evaluation_id=pk)
            .order_by("criterion_id")
            .values_list("criterion_id", "self_score", "manager_score", "final_score")
        )

    def _snapshot(self, pk: int) -> dict:
        e = Evaluation.objects.get(pk=pk)
        return {
            "state": e.state,
            "locked": e.locked,
            "level": e.final_level,
            "task": (e.self_task_points, e.manager_task_points),
            "scores": self._scores(pk),
            "moves": Transition.objects.filter(evaluation_id=pk).count(),
            "audits": AuditLog.objects.filter(
                object_id=str(pk), action__in=AUDITED, object_type="evaluations.evaluation"
            ).count(),
        }

    def _try(self, index: int, actor: str, move: str | None, call, comment: str = "") -> bool:
        pk, subject = self.ids[index], SUBJECTS[index]
        before = self._snapshot(pk)
        try:
            call(self.users[actor], Evaluation.objects.get(pk=pk))
            ok = True
        except (ValidationError, PermissionDenied):
            ok = False
        after = self._snapshot(pk)
        if not ok:
            assert after == before, "a refused action changed something"
            return False
        if move is not None:
            decision = workflow.allowed(
                before["state"], move, expected_roles(actor, subject), comment
            )
            assert decision.ok, f"illegal {move} by {actor} from {before['state']} succeeded"
            assert after["state"] == decision.target
            assert after["moves"] == before["moves"] + 1
            assert after["audits"] == before["audits"] + 1
            last = Transition.objects.filter(evaluation_id=pk).latest("pk")
            assert (last.move, last.from_state, last.to_state, last.actor_id) == (
                move,
                before["state"],
                after["state"],
                self.users[actor].pk,
            )
            self.reached.add(move)
        else:  # an edit: scores may change, the state may not, no move is recorded
            assert (
                workflow.may_edit(before["state"], self._edit, expected_roles(actor, subject))
                is None
            )
            assert (after["state"], after["moves"]) == (before["state"], before["moves"])
        if after["state"] == "published" and before["state"] != "published":
            self.frozen[pk] = after["scores"]
        if move == "reopen":
            self.frozen.pop(pk, None)
        return True

    @initialize(
        starts=st.lists(st.sampled_from(PATH), min_size=2, max_size=2),
        a1=st.integers(0, 4),
        task=st.integers(0, 70),
    )
    def start_somewhere(self, starts, a1, task):
        """Each evaluation starts at a random point of the normal path, reached legally."""
        for index, start in enumerate(starts):
            subject = SUBJECTS[index]
            self_actor, manager = (
                ("staff", "head_syt") if subject == "syt_cc" else ("head_syt", "council")
            )
            for step in PATH[1 : PATH.index(start) + 1]:
                if step == "submitted":
                    self._self_assess(index, self_actor, a1, 6, task, evidence=True)
                    assert self._move(index, self_actor, "submit", "", True, False, None)
                elif step == "reviewed":
                    assert self._move(index, manager, "review", "", True, False, None)
                elif step == "concluded":
                    assert self._move(index, "council", "conclude", "Đồng ý", True, False, None)
                else:
                    assert self._move(index, "council", "publish", "", True, False, None)

    # --- random attempts by anyone -----------------------------------------------------

    @rule(
        index=st.integers(0, 1),
        actor=st.sampled_from(ACTORS),
        a1=st.integers(0, 5),
        a2=st.integers(0, 6),
        task=st.integers(0, 72),
        evidence=st.booleans(),
    )
    def self_assess(self, index, actor, a1, a2, task, evidence):
        self._self_assess(index, actor, a1, a2, task, evidence)

    def _self_assess(self, index, actor, a1, a2, task, evidence):
        self._edit = workflow.Edit.SELF_SCORE

        def call(user, evaluation):
            scores = {"thu.a.1": SelfScore(a1), "thu.a.2": SelfScore(a2)}
            if evaluation.is_leader:
                scores["thu.b.1"] = SelfScore(10)
            with transaction.atomic():
                services.self_assess(
                    actor=user, evaluation=evaluation, scores=scores, task_points=task
                )
                if evidence:
                    services.evidence_attach(
                        actor=user, evaluation=evaluation, criterion="thu.a.2", upload=f.pdf()
                    )

        self._try(index, actor, None, call)

    @rule(
        index=st.integers(0, 1),
        actor=st.sampled_from(ACTORS),
        move=st.sampled_from(MOVES),
        comment=COMMENTS,
        confirm=st.booleans(),
        lower=st.booleans(),
        change=st.none() | st.integers(0, 4),
    )
    def attempt(self, index, actor, move, comment, confirm, lower, change):
        self._move(index, actor, move, comment, confirm, lower, change)

    @rule(index=st.integers(0, 1), data=st.data())
    def attempt_illegal(self, index, data):
        """A move possible in this state, by someone with a part in the evaluation who may
        not make it (the interesting refusals: only the roles stand in the way)."""
        state = Evaluation.objects.get(pk=self.ids[index]).state
        roles = {a: expected_roles(a, SUBJECTS[index]) for a in ACTORS}
        possible = {
            m
            for m in MOVES
            for r in roles.values()
            if workflow.allowed(state, m, r, "Cần xem lại").ok
        }
        illegal = [
            (actor, move)
            for actor in ACTORS
            for move in sorted(possible)
            if roles[actor] and not workflow.allowed(state, move, roles[actor], "Cần xem lại").ok
        ]
        actor, move = data.draw(st.sampled_from(illegal))
        self._move(index, actor, move, "Cần xem lại", True, False, None)

    # --- the plausible next move, by the right actor ----------------------------------

    @rule(
        index=st.integers(0, 1),
        comment=st.sampled_from(["Cần xem lại"] * 3 + [""]),
        confirm=st.booleans(),
        lower=st.booleans(),
        change=st.none() | st.integers(0, 4),
        back=st.booleans(),
        a1=st.integers(0, 4),
        a2=st.integers(0, 6),
        task=st.integers(0, 70),
    )
    def advance(self, index, comment, confirm, lower, change, back, a1, a2, task):
        state = Evaluation.objects.get(pk=self.ids[index]).state
        subject = SUBJECTS[index]
        self_actor = "staff" if subject == "syt_cc" else "head_syt"
        manager = "head_syt" if subject == "syt_cc" else "council"
        if state == "draft" and back:
            return self._self_assess(index, self_actor, a1, a2, task, evidence=True)
        move, actor = {
            "draft": ("submit", self_actor),
            "submitted": ("return" if back else "review", manager),
            "reviewed": ("return" if back else "conclude", "council"),
            "concluded": ("return" if back else "publish", "council"),
            "published": ("reopen", "snv" if back else "council"),
        }[state]
        self._move(index, actor, move, comment, confirm, lower, change)

    def _move(self, index, actor, move, comment, confirm, lower, change):
        def call(user, evaluation):
            if move == "submit":
                services.submit(actor=user, evaluation=evaluation)
            elif move == "review":
                changes, task = {}, None
                if (
                    change is not None
                ):  # a criterion and the task points, with the comment as reason
                    changes = {"thu.a.1": ManagerScore(change, comment)}
                    task = ManagerScore(change * 15, comment)
                services.manager_review(
                    actor=user, evaluation=evaluation, changes=changes, task_points=task
                )
            elif move == "return":
                services.return_to(actor=user, evaluation=evaluation, comment=comment)
            elif move == "conclude":
                levels = {evaluation.pk: "HTNV"} if lower else {}
                services.council_conclude(
                    actor=user,
                    evaluations=[evaluation],
                    levels=levels,
                    confirm_over_cap=confirm,
                    comment=comment,
                )
            elif move == "publish":
                services.publish(actor=user, evaluations=[evaluation])
            elif move == "reopen":
                services.reopen(actor=user, evaluation=evaluation, reason=comment)

        return self._try(index, actor, move, call, comment)

    # --- invariants --------------------------------------------------------------------

    @invariant()
    def published_scores_never_change(self):
        for pk, scores in self.frozen.items():
            evaluation = Evaluation.objects.get(pk=pk)
            assert evaluation.state == "published" and evaluation.locked
            assert self._scores(pk) == scores

    @invariant()
    def every_move_has_its_audit_record(self):
        for pk in self.ids:
            moves = Transition.objects.filter(evaluation_id=pk).count()
            audits = AuditLog.objects.filter(
                object_id=str(pk), action__in=AUDITED, object_type="evaluations.evaluation"
            ).count()
            assert moves == audits

    @invariant()
    def stored_levels_equal_a_recomputation(self):
        for pk in self.ids:
            evaluation = Evaluation.objects.select_related("cycle", "decision").get(pk=pk)
            assert evaluation.locked == (evaluation.state == "published")
            if evaluation.state in ("concluded", "published"):
                level, score = recompute(evaluation)
                assert (evaluation.final_level, evaluation.period_score) == (level, score)


def recompute(evaluation: Evaluation) -> tuple[str, Decimal]:
    """The level from the raw rows, without the services' code: the leaves that apply, their
    effective scores, the period score, the pure rules, and the council's recorded choice."""
    cycle = evaluation.cycle
    criteria = list(Criterion.objects.filter(version_id=cycle.catalogue_version_id))
    parents = {c.parent_id for c in criteria}
    leaves = [
        c
        for c in criteria
        if c.pk not in parents
        and ("individual" in c.subjects or (evaluation.is_leader and "leader" in c.subjects))
    ]
    given = {
        s.criterion_id: s.manager_score if s.manager_score is not None else s.self_score
        for s in CriterionScore.objects.filter(evaluation=evaluation)
    }
    total = sum(Fraction(c.points) for c in leaves)
    reached = sum(Fraction(given.get(c.pk) or 0) for c in leaves)
    task = evaluation.manager_task_points
    if task is None:
        task = evaluation.self_task_points
    exact = reached / total * Fraction(cycle.culture_points) + Fraction(task or 0)
    score = Decimal(floor(exact * 100)) / 100
    person = rules.Person(
        id=evaluation.pk,
        category=evaluation.category,
        group=evaluation.group,
        is_leader=evaluation.is_leader,
        is_head=evaluation.is_head,
        months_worked=evaluation.months_worked or 12,
        period_scores=(score,),
    )
    level = rules.classify(person, regime=regimes.REGIMES[evaluation.regime], year=cycle.year).level
    chosen = (evaluation.decision.changed_levels if evaluation.decision else {}).get(
        str(evaluation.pk)
    )
    if chosen:
        assert chosen[0] == level
        level = chosen[1]
    return level, score


def test_the_evaluation_workflow_keeps_its_invariants(province, tmp_path):
    EvaluationWorkflow.province = province
    EvaluationWorkflow.reached = set()
    EvaluationWorkflow.version = f.load(tmp_path, f.individual_doc())
    run_state_machine_as_test(
        EvaluationWorkflow,
        settings=settings(
            max_examples=15,
            stateful_step_count=50,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    # The runs went all the way: every move succeeded somewhere (not only refusals).
    assert EvaluationWorkflow.reached == set(MOVES)
