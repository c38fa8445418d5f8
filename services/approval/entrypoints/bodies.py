"""Request bodies of the approval API."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.tenants import Role

UserId = Field(min_length=1, max_length=100, description="User id (not a name)")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role = Field(description="The role the official acts in (a Plt. gives the role they stand in)")
    version: int | None = Field(default=None, ge=0, description="The version of the request the official saw")


class Verification(_Body):
    checked: list[str] = Field(default_factory=list, description="Checklist item ids found complete and valid")


class Disposition(Verification):
    note: str = Field(default="", max_length=2000)
    addressee: str | None = Field(default=None, min_length=1, max_length=100)


class Approval(Disposition):
    signed: bool = True


class Return(_Body):
    missing: list[str] = Field(default_factory=list, description="Checklist item ids that are missing")
    note: str = Field(default="", max_length=2000)


class Rejection(_Body):
    reason: str = Field(min_length=3, max_length=2000)


class Assignment(_Body):
    to: str = UserId
    reason: str = Field(default="", max_length=2000)


class Acting(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role
    official: str = UserId
    official_role: Role
    acting: str = UserId
    starts_at: AwareDatetime
    ends_at: AwareDatetime
