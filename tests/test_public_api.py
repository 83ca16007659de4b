import innostudy


def test_all_is_sorted_and_complete() -> None:
    assert innostudy.__all__ == sorted(innostudy.__all__)
    for name in innostudy.__all__:
        assert hasattr(innostudy, name), name


def test_errors_share_one_base() -> None:
    for name in (
        "InputError",
        "StudyError",
        "ConfigError",
        "DatabaseError",
        "PersonalDataError",
        "ConflictError",
    ):
        assert issubclass(getattr(innostudy, name), innostudy.InnostudyError)
