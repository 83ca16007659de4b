from tests.fieldwork.conftest import Study, study

__all__ = ["Study", "study"]
