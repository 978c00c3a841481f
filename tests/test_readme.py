"""The README documents every command and option."""
from conftest import ROOT
from kg.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_in_the_readme():
    for name, cmd in main.commands.items():
        assert f"kg {name}" in README, name
        for p in cmd.params:
            for opt in p.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in README, f"kg {name} {opt}"


def test_readme_gives_the_two_setup_commands():
    assert ".venv/bin/kg build\n" in README
    assert "bash scripts/test.sh" in README


def test_readme_gives_the_exact_neo4j_import_command():
    from kg.export.neo4j_csv import IMPORT_COMMAND

    assert IMPORT_COMMAND.replace(" --", " \\\n  --") in README


def test_every_query_file_is_in_the_readme():
    files = sorted((ROOT / "queries").glob("*.rq")) + sorted((ROOT / "queries").glob("*.cypher"))
    assert len(files) >= 18
    for p in files:
        assert f"`{p.name}`" in README, p.name
