"""The README and docs/ document every command, option and named query; the README stays a
five-minute read that links to the rest."""
import re

from conftest import ROOT
from kg.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))}
ALL = README + "\n".join(DOCS.values())


def test_every_command_and_option_is_documented():
    commands = DOCS["commands.md"]
    for name, cmd in main.commands.items():
        assert f"`kg {name}" in commands, name
        for p in cmd.params:
            for opt in p.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in commands, f"kg {name} {opt}: not in docs/commands.md"


def test_readme_gives_the_two_setup_commands():
    assert ".venv/bin/kg build\n" in README
    assert "bash scripts/test.sh" in README


def test_readme_is_short_and_links_every_doc():
    assert len(README.splitlines()) < 250
    for name in DOCS:
        assert f"(docs/{name})" in README, f"docs/{name} is not linked from the README"
    for link in re.findall(r"\]\((?!https?:)([^)#]+)", ALL):
        target = ROOT / link if (ROOT / link).exists() else ROOT / "docs" / link
        assert target.exists(), f"broken link {link}"


def test_license_is_mit():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert 'license = "MIT"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_docs_give_the_exact_neo4j_import_command():
    from kg.export.neo4j_csv import IMPORT_COMMAND

    assert IMPORT_COMMAND.replace(" --", " \\\n  --") in DOCS["graphdb.md"]


def test_every_query_file_is_documented():
    files = sorted((ROOT / "queries").glob("*.rq")) + sorted((ROOT / "queries").glob("*.cypher"))
    assert len(files) >= 18
    for p in files:
        assert f"`{p.name}`" in DOCS["queries.md"], p.name
