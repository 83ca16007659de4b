"""survey invite: organisations registered once, personal links shown once, stored hashed."""

from __future__ import annotations

import csv
import sqlite3
import stat
import threading
from pathlib import Path

import sqlalchemy as sa

from innostudy.model import Organisation, OrganisationContact, Response, ResponseStatus
from innostudy.storage.store import StudyStore
from innostudy.survey.tokens import hash_token, organisation_for_token
from tests.conftest import Cli
from tests.survey.conftest import answers_by_org, fixture, snapshot


def invite(cli: Cli, study: Path, name: str, *args: object) -> tuple[int, str, str]:
    result = cli("--study", study, "survey", "invite", fixture(name), *args)
    return result.exit_code, result.stdout, result.stderr


def mail_merge(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_invite_registers_organisations_with_hashed_tokens(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    target = tmp_path / "merge.csv"
    code, out, err = invite(cli, pilot_study, "organisations.csv", "-o", target)
    assert code == 0, err
    assert "invited 3 new organisations; 0 already in the study" in out
    assert f"Mail-merge file: {target}" in out and "keep it private" in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # live tokens: the owner only
    rows = mail_merge(target)
    assert [r["organisation"] for r in rows] == [
        "Department for Tests",
        "Agency of Examples",
        "Office of Codes, Numbers and Letters",
    ]
    assert (
        rows[0]["email"] == "alex@example.invalid"
        and rows[0]["organisation_type"] == "ministerial_department"
    )
    assert all(r["link"] == f"http://127.0.0.1:8000/s/{r['token']}" for r in rows)
    assert all(len(r["token"]) >= 43 for r in rows) and len({r["token"] for r in rows}) == 3
    with StudyStore.open(pilot_study) as store, store.session() as s:
        for r in rows:
            org = organisation_for_token(s, r["token"])
            assert org is not None and org.name == r["organisation"]
            assert org.token_hash == hash_token(r["token"]) and r["token"] not in org.token_hash
            assert org.invited_at is not None
            assert org.response is not None and org.response.status is ResponseStatus.INVITED
        contacts = dict(
            s.execute(sa.select(OrganisationContact.contact_name, OrganisationContact.email)).all()
        )
        assert contacts == {
            "Alex Example": "alex@example.invalid",
            "Sam Sample": "sam@example.invalid",
            "": "",
        }
        assert (
            s.scalar(
                sa.select(Organisation.external_id).where(Organisation.name == "Agency of Examples")
            )
            == "AOE"
        )


def test_running_again_adds_only_new_organisations(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    assert invite(cli, pilot_study, "organisations.csv", "-o", tmp_path / "first.csv")[0] == 0
    before = snapshot(pilot_study)
    code, out, _ = invite(cli, pilot_study, "organisations.csv", "-o", tmp_path / "second.csv")
    assert code == 0 and "invited 0 new organisations; 3 already in the study" in out
    assert not (tmp_path / "second.csv").exists()
    after = snapshot(pilot_study)
    assert (
        after["organisation"] == before["organisation"] and after["response"] == before["response"]
    )


def test_reissue_gives_new_links_and_the_old_ones_stop_working(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    assert invite(cli, pilot_study, "organisations.csv", "-o", tmp_path / "first.csv")[0] == 0
    old = {r["organisation"]: r["token"] for r in mail_merge(tmp_path / "first.csv")}
    code, out, _ = invite(
        cli, pilot_study, "organisations.csv", "-o", tmp_path / "again.csv", "--reissue"
    )
    assert code == 0 and "new links for 3" in out
    new = {r["organisation"]: r["token"] for r in mail_merge(tmp_path / "again.csv")}
    with StudyStore.open(pilot_study) as store, store.session() as s:
        for name in old:
            assert organisation_for_token(s, old[name]) is None
            found = organisation_for_token(s, new[name])
            assert found is not None and found.name == name


def test_a_bad_organisations_file_changes_nothing(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    before = snapshot(pilot_study)
    target = tmp_path / "merge.csv"
    code, out, err = invite(cli, pilot_study, "organisations_bad.csv", "-o", target)
    assert code == 1 and out == ""
    assert err.strip() == (
        f"Error: {fixture('organisations_bad.csv')}, row 3, field 'organisation': no organisation "
        "name (and 2 more problems)"
    )
    assert snapshot(pilot_study) == before
    assert not target.exists() and not list(tmp_path.glob(".merge.csv*"))


def test_an_external_id_of_another_organisation_is_refused(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("organisation,type,external_id\nFirst,ndpb,X1\n", encoding="utf-8")
    assert (
        cli("--study", pilot_study, "survey", "invite", path, "-o", tmp_path / "a.csv").exit_code
        == 0
    )
    path.write_text("organisation,type,external_id\nSecond,ndpb,X1\n", encoding="utf-8")
    result = cli("--study", pilot_study, "survey", "invite", path, "-o", tmp_path / "b.csv")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {path}, row 2, field 'external_id': external id 'X1' already belongs to 'First'"
    )


def test_dry_run_says_who_would_be_invited(cli: Cli, pilot_study: Path, tmp_path: Path) -> None:
    before = snapshot(pilot_study)
    code, out, _ = invite(
        cli, pilot_study, "organisations.csv", "--dry-run", "-o", tmp_path / "m.csv"
    )
    assert code == 0 and "would invite 3 new organisations" in out
    assert snapshot(pilot_study) == before and not (tmp_path / "m.csv").exists()


def test_responses_come_back_by_token_and_contacts_never_leave(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    assert invite(cli, pilot_study, "organisations.csv", "-o", tmp_path / "m.csv")[0] == 0
    tokens = {r["organisation"]: r["token"] for r in mail_merge(tmp_path / "m.csv")}
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "token,title,category,cost,origin,impacts/service,impacts/costs,overall\n"
        f"{tokens['Agency of Examples']},By token,it,under_100k,users,high,high,high\n",
        encoding="utf-8",
    )
    result = cli("--study", pilot_study, "survey", "import", answers)
    assert result.exit_code == 0, result.stderr
    # the first answers of an invited organisation are new, not "changed" (issue 13)
    assert "imported: 1 new (1 of them answering an invitation), 0 changed, 0 unchanged" in (
        result.stdout
    )
    again = cli("--study", pilot_study, "survey", "import", answers)
    assert "imported: 0 new, 0 changed, 1 unchanged" in again.stdout
    assert answers_by_org(pilot_study)["Agency of Examples"][0] == "submitted"
    exported = tmp_path / "export.csv"
    assert (
        cli("--study", pilot_study, "survey", "export", exported, "--status", "all").exit_code == 0
    )
    text = exported.read_text(encoding="utf-8")
    assert "example.invalid" not in text and "Sam Sample" not in text
    assert all(token not in text for token in tokens.values())
    with StudyStore.open(pilot_study) as store, store.session() as s:
        statuses = dict(
            s.execute(sa.select(Organisation.name, Response.status).join(Response)).all()
        )
    assert statuses["Department for Tests"] is ResponseStatus.INVITED


def test_invite_waits_for_another_writer_instead_of_failing(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    """The web app may be writing while the team runs the CLI: the CLI queues, then succeeds.

    A deferred transaction would read first, and its write would then fail with "database
    is locked" once the other writer had committed in between.
    """
    other = sqlite3.connect(pilot_study / "study.db", check_same_thread=False)
    other.isolation_level = None
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE other_writer (x INTEGER)")
    other.execute("INSERT INTO other_writer VALUES (1)")
    release = threading.Timer(1.0, other.execute, ["COMMIT"])
    release.start()
    try:
        code, out, err = invite(cli, pilot_study, "organisations.csv", "-o", tmp_path / "m.csv")
    finally:
        release.join()
        other.close()
    assert code == 0, err
    assert "invited 3 new organisations" in out
    assert len(mail_merge(tmp_path / "m.csv")) == 3


def test_links_to_this_computer_are_written_with_a_warning_that_says_how_to_fix_them(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    code, out, err = invite(cli, pilot_study, "organisations.csv", "-o", tmp_path / "m.csv")
    assert code == 0
    assert err.strip() == (
        "Warning: survey links start with http://127.0.0.1:8000, which opens only on the "
        "computer running `innostudy serve` (no public address is set for the study). Set the "
        "address respondents will use in study.toml, under [survey]: base_url = "
        '"https://survey.example.org"; then give the organisations new links with '
        "`innostudy survey invite FILE --reissue`."
    )
    assert "invited 3 new organisations" in out


def test_a_public_base_url_gives_public_links_and_no_warning(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    toml = pilot_study / "study.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + '\n[survey]\nbase_url = "https://survey.example.org/"\n'
        if "[survey]" not in toml.read_text(encoding="utf-8")
        else toml.read_text(encoding="utf-8").replace(
            "[survey]", '[survey]\nbase_url = "https://survey.example.org/"', 1
        ),
        encoding="utf-8",
    )
    code, _out, err = invite(cli, pilot_study, "organisations.csv", "-o", tmp_path / "m.csv")
    assert (code, err) == (0, "")
    rows = mail_merge(tmp_path / "m.csv")
    assert all(r["link"] == f"https://survey.example.org/s/{r['token']}" for r in rows)


def test_one_organisation_is_counted_in_the_singular(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    one = tmp_path / "one.csv"
    with open(fixture("organisations.csv"), encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    one.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    result = cli("--study", pilot_study, "survey", "invite", one, "-o", tmp_path / "m.csv")
    assert result.exit_code == 0, result.stderr
    assert "invited 1 new organisation; 0 already in the study" in result.stdout


def test_the_mail_merge_file_neutralises_formulas(
    cli: Cli, pilot_study: Path, tmp_path: Path
) -> None:
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(
        "organisation,type,contact,email\n"
        '"=HYPERLINK(""http://evil.invalid"")",ndpb,@Alex Example,alex@example.invalid\n',
        encoding="utf-8",
    )
    target = tmp_path / "merge.csv"
    result = cli("--study", pilot_study, "survey", "invite", orgs, "-o", target)
    assert result.exit_code == 0, result.stderr
    (row,) = mail_merge(target)
    assert row["organisation"] == '\'=HYPERLINK("http://evil.invalid")'
    assert row["contact_name"] == "'@Alex Example" and row["link"].startswith("http")


def test_no_token_starts_with_a_character_a_spreadsheet_reads_as_a_formula() -> None:
    from innostudy.cells import is_formula_like
    from innostudy.survey.tokens import new_token

    # One token in 64 would start with "-" if drawn freely; 2,000 draws make a miss certain.
    assert not any(is_formula_like(new_token()) for _ in range(2_000))
