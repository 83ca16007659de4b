"""Shapes of what forms post and what the JSON endpoints return (``XCreate``/``XRead``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class CodingCreate(BaseModel):
    """A code on a span; the code by id (workbench script) or by key (the plain form)."""

    code_id: int | None = None
    code_key: str | None = Field(default=None, max_length=200)
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    memo: str = Field(default="", max_length=4000)


class MemoUpdate(BaseModel):
    memo: str = Field(default="", max_length=4000)


class StanceUpdate(BaseModel):
    stance: Literal["new", "agree", "disagree", "qualify", ""] = ""  # "": no stance


class SuggestionReview(BaseModel):
    verdict: Literal["accept", "reject"]


class UserCreate(BaseModel):
    username: str = Field(max_length=80)
    display_name: str = Field(default="", max_length=200)
    role: Literal["admin", "researcher", "coder"]
    password: str = Field(max_length=1000)


class UserChange(BaseModel):
    action: Literal["disable", "enable"]


class CodingRead(BaseModel):
    id: int
    segment_id: int
    code_key: str
    coder: str
    status: str
    start: int
    end: int
    text: str
