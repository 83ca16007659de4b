"""One NotFoundError: what was asked for, and the command that lists what exists."""

from __future__ import annotations

import pytest

from innostudy.errors import InnostudyError, NotFoundError


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            NotFoundError("transcript", "nope", listing="transcripts list"),
            "no transcript 'nope'; list them with `innostudy transcripts list`",
        ),
        (
            NotFoundError("session", 99, listing="sessions list"),
            "no session with ID 99; list them with `innostudy sessions list`",
        ),
        (NotFoundError("codebook"), "this study has no codebook yet"),
    ],
)
def test_the_message_names_the_thing_and_how_to_list_them(
    error: NotFoundError, message: str
) -> None:
    assert str(error) == message


def test_it_is_both_a_user_error_and_a_lookup_error() -> None:
    # the CLI prints InnostudyError as one line (exit 1); Python callers catch LookupError
    error = NotFoundError("code", "x.y", listing="code codebook")
    assert isinstance(error, InnostudyError) and isinstance(error, LookupError)
    assert error.what == "no code 'x.y'"
