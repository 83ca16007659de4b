"""Fixtures for the web app: a private copy of the demo study with users and survey links,
served in-process over https://testserver (so Secure cookies are sent back)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from httpx import Response

from innostudy.accounts import hash_password
from innostudy.model import Organisation, ResponseStatus, Role, User
from innostudy.model import Response as SurveyResponse
from innostudy.storage.store import StudyStore
from innostudy.survey.roster import issue_invitation
from innostudy.web.app import create_app
from innostudy.web.settings import WebSettings

SECRET = "test-secret-0123456789-abcdefghijklmnop-XYZ"
PASSWORD = "correct horse battery staple"
ROLES = {"ada": Role.ADMIN, "rita": Role.RESEARCHER, "cody": Role.CODER}


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class WebStudy:
    folder: Path
    store: StudyStore
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)  # "fresh", "draft" -> token
    org_ids: dict[str, int] = field(default_factory=dict)

    def new_client(self) -> TestClient:
        return TestClient(self.client.app, base_url="https://testserver")


def add_users(store: StudyStore, password_hash: str) -> None:
    with store.session() as s:
        for name, role in ROLES.items():
            s.add(
                User(
                    username=name, display_name=name.title(), role=role, password_hash=password_hash
                )
            )


def _org_with(s: sa.orm.Session, status: ResponseStatus) -> Organisation:
    org = s.scalar(
        sa.select(Organisation)
        .join(SurveyResponse)
        .where(SurveyResponse.status == status)
        .order_by(Organisation.id)
        .limit(1)
    )
    assert org is not None
    return org


@pytest.fixture
def web(demo_copy: Path, password_hash: str) -> Iterator[WebStudy]:
    store = StudyStore.open(demo_copy)
    add_users(store, password_hash)
    study = WebStudy(
        demo_copy,
        store,
        TestClient(
            create_app(WebSettings(secret_key=SECRET), store), base_url="https://testserver"
        ),
    )
    with store.session() as s:
        for label, status in (
            ("fresh", ResponseStatus.INVITED),
            ("draft", ResponseStatus.DRAFT),
            ("done", ResponseStatus.SUBMITTED),
        ):
            org = _org_with(s, status)
            token = issue_invitation(s, org.id, actor="test")
            assert token is not None
            study.tokens[label] = token
            study.org_ids[label] = org.id
    try:
        yield study
    finally:
        study.client.close()
        store.close()


def tree(response: Response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.text)


def csrf_of(response: Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert found, "no CSRF token on the page"
    return found.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> Response:
    page = client.get("/login")
    return client.post(
        "/login",
        data={
            "csrf_token": csrf_of(page),
            "username": username,
            "password": password,
            "next": "/dashboard",
        },
        follow_redirects=False,
    )


def texts(response: Response, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree(response).xpath(xpath)]
