"""User accounts, for administrators: list, add, disable and enable."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from innostudy.accounts import add_user, list_users, parse_role, set_disabled, user_by_name
from innostudy.errors import InputError
from innostudy.web.deps import Admin, CtxDep, SessionDep
from innostudy.web.errors import Forbidden, NotFound
from innostudy.web.schemas import UserChange, UserCreate

router = APIRouter(prefix="/users", tags=["users"])


@router.get("")
def users(request: Request, user: Admin, ctx: CtxDep, s: SessionDep) -> Response:
    return ctx.render(request, "users.html", users=list_users(s), error="", form={})


@router.post("")
def create(
    request: Request, user: Admin, ctx: CtxDep, data: Annotated[UserCreate, Form()]
) -> Response:
    try:
        with ctx.store.write_session() as s:
            add_user(
                s,
                data.username,
                data.password,
                parse_role(data.role),
                display_name=data.display_name,
            )
    except InputError as exc:
        with ctx.store.session() as s:
            return ctx.render(
                request,
                "users.html",
                422,
                users=list_users(s),
                error=exc.problem.message,
                form={
                    "username": data.username,
                    "display_name": data.display_name,
                    "role": data.role,
                },
            )
    return RedirectResponse("/users", status_code=303)


@router.post("/{username}")
def change(
    request: Request, username: str, user: Admin, ctx: CtxDep, data: Annotated[UserChange, Form()]
) -> Response:
    with ctx.store.write_session() as s:
        target = user_by_name(s, username)
        if target is None:
            raise NotFound(f"There is no user called '{username}'.")
        # the account itself, not its name as typed: /users/ADA is ada
        if target.id == user.id:
            raise Forbidden("You cannot disable your own account.")
        set_disabled(s, target, data.action == "disable")
    return RedirectResponse("/users", status_code=303)
