"""Query files: a ``queries/*.rq`` or ``*.cypher`` file (or query text) read with its header,
and the listing of a folder of them.

A query file starts with comment lines: a description, then one ``@param`` per parameter
(see :mod:`kg.query`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError, UsageError

_PARAM = re.compile(r"^#\s*@param\s+[?$]?([A-Za-z_][A-Za-z0-9_]*)\s+(\S+(?:\s*\S+)*?)(?:\s{2,}(.*))?$")


class QueryError(KgError):
    """A query file that cannot be read or run."""


@dataclass(frozen=True)
class Param:
    name: str
    default: str            # a Turtle term: "樊惠林"@zh, "2023-01-01"^^xsd:date, 10, <iri>
    help: str = ""


@dataclass(frozen=True)
class QueryFile:
    name: str
    text: str
    description: str
    params: tuple[Param, ...] = ()
    language: str = "sparql"          # sparql | cypher


_SPARQL_START = re.compile(r"\s*(?:PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_CYPHER_START = re.compile(r"\s*(?:MATCH|OPTIONAL|UNWIND|WITH|CALL|RETURN|CREATE|MERGE)\b", re.I)


def _language(text: str) -> str:
    """``cypher`` or ``sparql`` for query text: ``//`` comments or a Cypher clause first mean
    Cypher, ``#`` comments or a SPARQL keyword mean SPARQL."""
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if s.startswith("//"):
            return "cypher"
        if s.startswith("#"):
            return "sparql"
        return "cypher" if _CYPHER_START.match(s) else "sparql"
    return "sparql"


def read_query(file_or_text: str | Path) -> QueryFile:
    """A query file (or query text) with its header parsed."""
    s = str(file_or_text)
    is_text = "\n" in s or _SPARQL_START.match(s) or _CYPHER_START.match(s)
    if not is_text:
        p = Path(s)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            near = _near_files(p)
            raise UsageError(f"{p}: no such query file; " + (f"did you mean {', '.join(near)}? " if near else "")
                             + "`kg query --help` lists the named queries in queries/") from None
        except IsADirectoryError:
            raise UsageError(f"{p}: a folder, not a query file; name a .rq or .cypher file in it "
                             f"(`kg query --help` lists the named queries)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{p}: cannot read the query file ({exc})") from None
        name = p.name
        language = "cypher" if p.suffix.lower() in (".cypher", ".cql") else "sparql"
    else:
        text, name = str(file_or_text), "<query>"
        language = _language(text)
    desc, params = [], []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith(("#", "//")):
            break
        s = "#" + s[2:] if s.startswith("//") else s
        m = _PARAM.match(s)
        if m:
            params.append(Param(m.group(1), m.group(2).strip(), (m.group(3) or "").strip()))
        elif not params:
            desc.append(s.lstrip("#/ ").strip())
    return QueryFile(name, text, " ".join(d for d in desc if d), tuple(params), language)


def _near_files(p: Path) -> list[str]:
    """Query files beside ``p`` (or in ``queries/``) whose names are close to its name."""
    import difflib

    folder = p.parent if p.parent.is_dir() and str(p.parent) != "." else Path("queries")
    if not folder.is_dir():
        return []
    files = {f.name: str(f) for f in folder.iterdir() if f.suffix.lower() in (".rq", ".cypher", ".cql")}
    return [files[n] for n in difflib.get_close_matches(p.name, sorted(files), n=3, cutoff=0.6)]


def summary(q: QueryFile, width: int = 72) -> str:
    """The first clause of a query's header comment, for one line of a listing: up to the first
    ``:``, ``;`` or ``.`` outside brackets, cut at a comma or before a bracket to fit ``width``."""
    text, depth, end, commas = q.description, 0, len(q.description), []
    for i, c in enumerate(text):
        if c in "([（":
            if depth == 0:
                commas.append(len(text[:i].rstrip()))
            depth += 1
        elif c in ")]）":
            depth = max(0, depth - 1)
        elif depth == 0 and c in ":;." and (i + 1 == len(text) or text[i + 1] == " "):
            end = i
            break
        elif depth == 0 and c == ",":
            commas.append(i)
    text = text[:end]
    if len(text) > width:
        cut = max((i for i in commas if i <= width), default=0)
        text = text[:cut] if cut else text[:width - 1].rsplit(" ", 1)[0] + " …"
    return text


def list_queries(folder: str | Path) -> list[tuple[str, list[str], QueryFile]]:
    """The named queries of a folder: ``(stem, [".rq", ".cypher"], the first file read)``."""
    by_stem: dict[str, list[Path]] = {}
    for f in sorted(Path(folder).iterdir()):
        if f.is_file() and f.suffix.lower() in (".rq", ".cypher"):
            by_stem.setdefault(f.stem, []).append(f)
    out = []
    for stem, files in sorted(by_stem.items()):
        files.sort(key=lambda f: f.suffix != ".rq")          # the SPARQL file's header first
        try:
            q = read_query(files[0])
        except KgError as exc:                                # listed, saying why it is unread
            q = QueryFile(files[0].name, "", f"(cannot be read: {exc})")
        out.append((stem, [f.suffix for f in files], q))
    return out

