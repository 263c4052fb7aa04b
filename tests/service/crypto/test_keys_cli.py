"""`invsim keys rotate` and `invsim keys verify` from the command line (embedded SQLite)."""

from click.testing import CliRunner

from invsim.cli import main
from invsim.migrations.runner import upgrade


def test_rotate_with_a_new_key_then_verify_reports_every_value_under_it(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    upgrade(url)
    for name, value in {"VAR_DIR": str(tmp_path), "DATABASE_URL": url, "ARGON2_TIME_COST": "1",
                        "ARGON2_MEMORY_KIB": "1024", "SCHEDULER_ENABLED": "false"}.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    created = runner.invoke(main, ["create-user", "--email", "cli@example.com", "--username",
                                   "cliuser", "--password", "correct-horse-battery-42"])
    assert created.exit_code == 0, created.output
    rotated = runner.invoke(main, ["keys", "rotate", "--new-key", "--batch-size", "1"])
    assert rotated.exit_code == 0, rotated.output
    assert "added local key version 2" in rotated.output
    assert "rotated 1 rows to key version 2" in rotated.output
    verified = runner.invoke(main, ["keys", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "checked 2 values (v2: 2); 0 failed" in verified.output
