"""Rules that span several fields of a profile, checked after field validation."""

from .profile import TenantProfile
from .steps import Step
from .vocabulary import RejectAction

Problem = tuple[tuple[int | str, ...], str]


def consistency_problems(profile: TenantProfile) -> list[Problem]:
    return [*_duplicate_step_ids(profile), *_restart_targets(profile)]


def _duplicate_step_ids(profile: TenantProfile) -> list[Problem]:
    seen: set[str] = set()
    problems: list[Problem] = []
    for location, step in _all_steps(profile):
        if step.id in seen:
            problems.append(((*location, "id"), f"duplicate step id {step.id!r}"))
        seen.add(step.id)
    return problems


def _restart_targets(profile: TenantProfile) -> list[Problem]:
    problems: list[Problem] = []
    for index, step in enumerate(profile.approval_steps):
        rule = step.on_reject
        earlier = [s.id for s in profile.approval_steps[: index + 1]]
        if rule.action is RejectAction.RESTART_FROM_STEP and rule.step not in earlier:
            message = f"{rule.step!r} is not this or an earlier approval step ({', '.join(earlier)})"
            problems.append((("approval_steps", index, "on_reject", "step"), message))
    return problems


def _all_steps(profile: TenantProfile) -> list[tuple[tuple[int | str, ...], Step]]:
    approval: list[tuple[tuple[int | str, ...], Step]] = [
        (("approval_steps", i), step) for i, step in enumerate(profile.approval_steps)
    ]
    delivery: list[tuple[tuple[int | str, ...], Step]] = [
        (("delivery_steps", i), step) for i, step in enumerate(profile.delivery_steps)
    ]
    return approval + delivery
