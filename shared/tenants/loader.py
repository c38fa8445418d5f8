"""Loading tenant profiles (tenants/*.yaml) at start-up."""

from pathlib import Path

from pydantic import ValidationError

from .consistency import consistency_problems
from .errors import TenantProfileError, problem, validation_problems
from .profile import TenantProfile
from .yaml_source import UnreadableProfile, read_profile_mapping

PROFILE_SUFFIX = ".yaml"


def load_tenant(path: Path | str) -> TenantProfile:
    """One profile file; raises TenantProfileError naming file and field."""
    profile, problems = _read(Path(path))
    if problems or profile is None:
        raise TenantProfileError(problems)
    return profile


def load_tenants(directory: Path | str) -> dict[str, TenantProfile]:
    """Every `*.yaml` profile in `directory`, by tenant id.

    All files are checked before anything is raised, so one TenantProfileError
    lists every problem, including ids used by more than one file.
    """
    paths = sorted(Path(directory).glob(f"*{PROFILE_SUFFIX}"))
    if not paths:
        raise TenantProfileError([f"{directory}: no tenant profiles (*{PROFILE_SUFFIX}) found"])
    tenants: dict[str, TenantProfile] = {}
    sources: dict[str, Path] = {}
    problems: list[str] = []
    for path in paths:
        profile, file_problems = _read(path)
        problems += file_problems
        if profile is None:
            continue
        if profile.id in tenants:
            problems.append(problem(path, ("id",), f"{profile.id!r} is already used by {sources[profile.id]}"))
            continue
        tenants[profile.id], sources[profile.id] = profile, path
    if problems:
        raise TenantProfileError(problems)
    return tenants


def _read(path: Path) -> tuple[TenantProfile | None, list[str]]:
    try:
        profile = TenantProfile.model_validate(read_profile_mapping(path))
    except UnreadableProfile as error:
        return None, [problem(path, (), str(error))]
    except ValidationError as error:
        return None, validation_problems(path, error)
    return profile, [problem(path, location, message) for location, message in consistency_problems(profile)]
