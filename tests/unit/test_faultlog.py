"""An unexpected failure shows staff one line with a reference; the detail goes to the data folder's log
without the SQL parameters (a visitor's name or identity number) or the error's own text."""

import pytest
from sqlalchemy import text

from pstdesktop import faultlog
from ui.i18n import set_language
from ui.widgets import error_text

SECRET_NAME, SECRET_ID = "Yohana Pattimura", "8171014501900001"


def _failed_insert(office) -> Exception:
    with pytest.raises(Exception) as failed, office.session() as s:  # noqa: PT011 - any database error
        s.execute(text("INSERT INTO visitor (office_id, full_name, id_document_number) VALUES (:o, :n, :i)"),
                  {"o": 999, "n": SECRET_NAME, "i": SECRET_ID})
    return failed.value


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_database_failure_names_no_one_on_screen_or_in_the_log(office, tmp_path, language):
    log = faultlog.setup(tmp_path / "data")
    error = _failed_insert(office)
    assert SECRET_NAME not in str(error)  # the engine hides SQL parameters
    set_language(language)
    try:
        shown = error_text(error)
    finally:
        set_language("id")
    assert SECRET_NAME not in shown and SECRET_ID not in shown and "INSERT" not in shown
    assert ("reference" if language == "en" else "kode") in shown and str(log) in shown
    reference = shown.split("(reference " if language == "en" else "(kode ")[1][:6]
    logged = log.read_text(encoding="utf-8")
    assert f"[{reference}]" in logged and "INSERT INTO visitor" in logged and "test_faultlog.py" in logged
    assert SECRET_NAME not in logged and SECRET_ID not in logged


def test_an_error_text_is_never_logged(tmp_path):
    log = faultlog.setup(tmp_path / "data")
    try:
        raise ValueError(f"invalid literal for int(): '{SECRET_ID}'")
    except ValueError as error:
        reference = faultlog.record(error)
    logged = log.read_text(encoding="utf-8")
    assert f"[{reference}] builtins.ValueError" in logged and SECRET_ID not in logged
