"""``pst`` of the bundle (pstdesktop/console.py) runs the windowed program next to it with the same
arguments, passes its output and its exit code through, and names a missing program."""

import sys
from pathlib import Path

from pstdesktop import console


def test_arguments_output_and_exit_code_pass_through(capfd):
    script = "import sys; print('keluar', sys.argv[1:]); print('galat', file=sys.stderr); sys.exit(3)"
    assert console.main(["-c", script, "verify", "--data-dir", "x y"], program=Path(sys.executable)) == 3
    out, err = capfd.readouterr()
    assert out.strip() == "keluar ['verify', '--data-dir', 'x y']"
    assert err.strip() == "galat"


def test_the_windowed_program_is_the_one_beside_it(tmp_path):
    program = console.program_path(str(tmp_path / "pst"))
    assert program.parent == tmp_path.resolve() and program.stem == "PST Desktop"


def test_a_missing_program_is_named_with_exit_code_2(tmp_path, capfd):
    assert console.main(["verify"], program=tmp_path / "PST Desktop") == 2
    assert "cannot be started" in capfd.readouterr().err
