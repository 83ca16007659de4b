"""Hardening found by probing: ids beyond the database's integer range, identities that
differ only in case, forwarded client addresses, and web accounts named like coders."""

from __future__ import annotations

import io
import re
import sys

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from innostudy.accounts import add_user
from innostudy.coding.codebook import codes_by_key, study_codebook
from innostudy.coding.manual import apply_code
from innostudy.errors import ConfigError, InputError
from innostudy.model import Coder, Coding, Role, Segment, Speaker, User
from innostudy.web.app import app_routes, create_app
from innostudy.web.settings import WebSettings, load_web_settings
from tests.conftest import Cli
from tests.web.conftest import PASSWORD, SECRET, WebStudy, csrf_of, login

HUGE = (2**31, 2**63, 2**64, 10**30)
# Query parameters that name a row: they must answer 404 when out of range. Every other
# query parameter the app declares is listed too, so a new one has to be classified here.
ID_QUERIES = {"group", "code", "coder", "transcript", "a", "b"}
OTHER_QUERIES = {"status", "org_type", "next", "unit"}  # unit: the matrix's count (issue 20)


def _fill(path: str, web: WebStudy, value: int) -> str:
    path = path.replace("{token}", web.tokens["draft"]).replace("{username}", "cody")
    return re.sub(r"\{[a-z_]+\}", str(value), path)


def test_every_id_in_a_path_beyond_the_integer_range_is_404(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "ada")
    csrf = csrf_of(client.get("/users"))
    survey_csrf = csrf_of(client.get(f"/s/{web.tokens['draft']}/p/1"))
    routes = [
        r for r in app_routes() if set(re.findall(r"\{([a-z_]+)\}", r.path)) - {"token", "username"}
    ]
    assert len(routes) >= 12, [r.path for r in routes]
    for route in routes:
        for value in HUGE:
            path = _fill(route.path, web, value)
            token = survey_csrf if path.startswith("/s/") else csrf
            for method in route.methods:
                response = client.request(method, path, headers={"X-CSRF-Token": token})
                assert response.status_code == 404, (method, path, response.status_code)
                assert "There is no page at this address" in response.text or (
                    "no such page" in response.text
                )


def test_every_query_id_beyond_the_integer_range_is_404(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "ada")
    declared: set[str] = set()
    for route in app_routes():
        if "GET" not in route.methods:
            continue
        for param in route.dependant.query_params:
            declared.add(param.name)
            for value in HUGE:
                path = _fill(route.path, web, 1)
                response = client.get(path, params={param.name: str(value)})
                expected = 404 if param.name in ID_QUERIES else 200
                assert response.status_code == expected, (path, param.name, response.status_code)
    assert declared == ID_QUERIES | OTHER_QUERIES


def test_a_coding_posted_with_a_huge_code_id_is_refused_not_a_crash(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "cody")
    with web.store.session() as s:
        segment_id = s.scalar(
            sa.select(Segment.id).join(Speaker).where(Speaker.participant_id.is_not(None)).limit(1)
        )
    csrf = csrf_of(client.get("/coding"))
    response = client.post(
        f"/coding/segments/{segment_id}/codings",
        data={"csrf_token": csrf, "code_id": str(2**63), "start": "0", "end": "3"},
    )
    assert response.status_code == 404


def test_an_admin_cannot_disable_their_own_account_under_another_spelling(
    web: WebStudy,
) -> None:
    client = web.new_client()
    login(client, "ada")
    page = client.get("/users")
    for spelling in ("ADA", "Ada", " ada", "ada%20"):
        response = client.post(
            f"/users/{spelling}", data={"csrf_token": csrf_of(page), "action": "disable"}
        )
        assert response.status_code == 403, (spelling, response.status_code)
        with web.store.session() as s:
            ada = s.scalar(sa.select(User).where(User.username == "ada"))
            assert ada is not None and ada.disabled_at is None
    assert client.get("/users").status_code == 200  # still signed in


def test_another_admin_may_disable_a_user_named_in_capitals(web: WebStudy) -> None:
    client = web.new_client()
    login(client, "ada")
    page = client.get("/users")
    client.post("/users/CODY", data={"csrf_token": csrf_of(page), "action": "disable"})
    with web.store.session() as s:
        cody = s.scalar(sa.select(User).where(User.username == "cody"))
        assert cody is not None and cody.disabled_at is not None


def _guesses(client: TestClient, forwarded: list[str]) -> list[int]:
    return [
        client.get(f"/s/not-a-real-token-{i}", headers={"X-Forwarded-For": address}).status_code
        for i, address in enumerate(forwarded)
    ]


def test_forwarded_addresses_are_ignored_by_default_even_from_loopback(web: WebStudy) -> None:
    app = create_app(WebSettings(secret_key=SECRET), web.store)
    client = TestClient(app, base_url="https://testserver", client=("127.0.0.1", 40000))
    # each guess claims to come from somewhere else; all are counted against the peer
    statuses = _guesses(client, [f"203.0.113.{i}" for i in range(12)])
    assert statuses[:10] == [404] * 10
    assert statuses[10:] == [429, 429]


def test_forwarded_addresses_are_used_from_a_listed_proxy_only(web: WebStudy) -> None:
    settings = WebSettings(secret_key=SECRET, trusted_proxies="10.0.0.0/8")
    proxy = TestClient(
        create_app(settings, web.store), base_url="https://testserver", client=("10.1.2.3", 1)
    )
    assert _guesses(proxy, [f"203.0.113.{i}" for i in range(12)]) == [404] * 12
    # the same header from an address that is not a listed proxy counts for that address
    other = TestClient(
        create_app(settings, web.store), base_url="https://testserver", client=("192.0.2.7", 1)
    )
    assert _guesses(other, [f"198.51.100.{i}" for i in range(11)])[-1] == 429


@pytest.mark.parametrize("value", ["proxy.example.org", "10.0.0.0/33", "*"])
def test_a_trusted_proxy_that_is_not_an_address_is_refused(value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_web_settings(secret_key=SECRET, trusted_proxies=value)
    assert "INNOSTUDY_WEB_TRUSTED_PROXIES" in str(caught.value)
    assert repr(value.strip()) in str(caught.value) or value in str(caught.value)


# --- web accounts and coder names ------------------------------------------------------------


def _cli_coder(web: WebStudy) -> tuple[str, int]:
    """A coder made from the command line (the demo's analysts), with its codings count."""
    with web.store.session() as s:
        coder = s.scalar(
            sa.select(Coder).where(Coder.user_id.is_(None), Coder.kind == "person").limit(1)
        )
        assert coder is not None
        count = s.scalar(sa.select(sa.func.count()).where(Coding.coder_id == coder.id))
        return coder.name, int(count or 0)


def test_an_admin_cannot_create_a_web_account_named_like_a_cli_coder(web: WebStudy) -> None:
    name, count = _cli_coder(web)
    assert count > 0
    client = web.new_client()
    login(client, "ada")
    page = client.get("/users")
    response = client.post(
        "/users",
        data={
            "csrf_token": csrf_of(page),
            "username": name,
            "role": "coder",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 422
    assert (
        f"a coder called &#39;{name}&#39; already has {count} codings made from the command line"
        in response.text
    )
    with web.store.session() as s:
        assert s.scalar(sa.select(User).where(User.username == name)) is None


def test_the_cli_refuses_the_name_unless_the_account_claims_the_coder(
    web: WebStudy, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, count = _cli_coder(web)
    args = ["--study", str(web.folder), "user", "add", name, "--role", "coder", "--password-stdin"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    refused = cli(*args)
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        f"Error: USERNAME, field 'username': a coder called '{name}' already has {count} codings made "
        f"from the command line; choose another user name, or, if this account is that person, "
        f"add it with `innostudy user add {name} --claim-coder`"
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    claimed = cli(*args, "--claim-coder")
    assert claimed.exit_code == 0, claimed.stderr
    assert f"continues the {count} codings of coder '{name}'" in claimed.stdout
    with web.store.session() as s:
        user = s.scalar(sa.select(User).where(User.username == name))
        coder = s.scalar(sa.select(Coder).where(Coder.name == name))
        assert user is not None and coder is not None and coder.user_id == user.id


def test_an_automatic_coders_name_cannot_be_claimed(web: WebStudy) -> None:
    with web.store.session() as s:
        model = s.scalar(sa.select(Coder.name).where(Coder.kind == "model").limit(1))
        assert model is not None
        with pytest.raises(InputError) as caught:
            add_user(s, model, PASSWORD, Role.CODER, claim_coder=True)
    assert f"'{model}' is the name of an automatic coder" in str(caught.value)


def test_an_account_whose_name_clashes_later_never_takes_over_the_cli_coder(
    web: WebStudy,
) -> None:
    """An account made before the coder (or by hand) gets its own coder, marked '(web)'."""
    name, count = _cli_coder(web)
    with web.store.session() as s:
        s.add(User(username=name, display_name=name, role=Role.CODER, password_hash=_hash(web)))
        segment = s.scalar(
            sa.select(Segment).join(Speaker).where(Speaker.participant_id.is_not(None)).limit(1)
        )
        assert segment is not None
        segment_id = segment.id
        code_id = codes_by_key(s, study_codebook(s))["costs"].id
    client = web.new_client()
    login(client, name)
    csrf = csrf_of(client.get("/coding"))
    client.post(
        f"/coding/segments/{segment_id}/codings",
        data={"csrf_token": csrf, "code_id": str(code_id), "start": "0", "end": "4"},
    )
    with web.store.session() as s:
        cli_coder = s.scalar(sa.select(Coder).where(Coder.name == name))
        web_coder = s.scalar(sa.select(Coder).where(Coder.name == f"{name} (web)"))
        assert cli_coder is not None and cli_coder.user_id is None
        assert web_coder is not None
        assert s.scalar(sa.select(sa.func.count()).where(Coding.coder_id == cli_coder.id)) == count
        mine = s.scalars(sa.select(Coding).where(Coding.coder_id == web_coder.id)).all()
        assert [(c.segment_id, c.start, c.end) for c in mine] == [(segment_id, 0, 4)]
    # and the CLI coder's codings are not theirs to remove
    with web.store.session() as s:
        theirs = s.scalar(sa.select(Coding.id).where(Coding.coder_id == cli_coder.id).limit(1))
    response = client.post(f"/coding/codings/{theirs}/remove", data={"csrf_token": csrf})
    assert response.status_code == 403


def test_a_cli_coder_named_like_a_web_account_is_that_account(web: WebStudy) -> None:
    """`--coder rita` on the command line codes as the web account rita, not a look-alike."""
    from innostudy.coding.manual import coder_named

    with web.store.session() as s:
        rita = s.scalar(sa.select(User).where(User.username == "rita"))
        assert rita is not None
        coder = coder_named(s, "rita")
        assert coder.user_id == rita.id
        segment = s.scalar(
            sa.select(Segment).join(Speaker).where(Speaker.participant_id.is_not(None)).limit(1)
        )
        assert segment is not None
        apply_code(s, segment, codes_by_key(s, study_codebook(s))["costs"], coder, 0, 4)
    client = web.new_client()
    login(client, "rita")
    csrf = csrf_of(client.get("/coding"))
    with web.store.session() as s:
        coding_id = s.scalar(sa.select(Coding.id).where(Coding.coder_id == coder.id))
    assert client.post(
        f"/coding/codings/{coding_id}/remove", data={"csrf_token": csrf}
    ).status_code in (200, 303)


def _hash(web: WebStudy) -> str:
    with web.store.session() as s:
        stored = s.scalar(sa.select(User.password_hash).where(User.username == "cody"))
        assert stored is not None
        return stored
