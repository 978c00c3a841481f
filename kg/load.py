"""Find input files and decode them: UTF-8 (± BOM), UTF-16 with BOM, GB18030/GBK.

Binary and undecodable files raise :class:`InputError` naming the file, so a caller can report
them and carry on with the rest.
"""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from kg.errors import InputError

# magic numbers of binary formats people drop into a folder of pages by mistake
_MAGIC = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"), (b"%PDF", "a PDF (extract its text first)"),
    (b"\x1f\x8b", "a gzip archive"), (b"BZh", "a bzip2 archive"), (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"), (b"Rar!", "a RAR archive"),
)
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# share of bad bytes up to which a file is decoded with replacement characters and a warning
_REPLACE_LIMIT = 0.01


@dataclass(frozen=True)
class Source:
    """A file to read (or standard input, ``path == "-"``)."""

    path: str
    name: str
    data: bytes | None = None

    def read_bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        try:
            return Path(self.path).read_bytes()
        except FileNotFoundError:
            raise InputError(self.path, "no such file") from None
        except IsADirectoryError:
            raise InputError(self.path, "is a directory") from None
        except PermissionError:
            raise InputError(self.path, "permission denied; skipped") from None
        except OSError as exc:
            raise InputError(self.path, f"cannot be read ({exc.strerror or exc}); skipped") from None


def iter_sources(paths: list[str], glob: str = "*.txt") -> Iterator[Source | InputError]:
    """Yield a :class:`Source` per file named or found below a directory (sorted, recursive).

    ``-`` reads standard input. A path that does not exist yields an :class:`InputError`
    instead of stopping the walk.
    """
    seen: set[str] = set()
    for p in paths:
        if p == "-":
            yield Source("-", "stdin", sys.stdin.buffer.read())
            continue
        path = Path(p)
        if path.is_dir():
            yield from _walk(path, glob, seen)
        elif path.exists() or path.is_symlink():
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                yield Source(str(path), path.name)
        else:
            yield InputError(str(path), "no such file or directory")


def _walk(root: Path, glob: str, seen: set[str]) -> Iterator[Source | InputError]:
    visited: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True,
                                                onerror=lambda e: None):
        real = os.path.realpath(dirpath)
        if real in visited:          # a symlink loop: do not descend again
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames.sort()
        for fn in sorted(filenames):
            full = Path(dirpath) / fn
            if not full.match(glob):
                continue
            key = os.path.realpath(full)
            if key in seen:
                continue
            seen.add(key)
            yield Source(str(full), fn)


def decode(data: bytes, path: str = "<bytes>") -> tuple[str, str, list[str]]:
    """Decode a page: returns ``(text, encoding, notes)`` or raises :class:`InputError`.

    >>> decode("本报讯".encode("gb18030"))[1]
    'gb18030'
    """
    notes: list[str] = []
    if not data.strip():
        raise InputError(path, "empty file; skipped")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(path, f"binary file ({what}); skipped")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _nonempty(data.decode(enc), path), enc.replace("-sig", " with BOM"), notes
            except UnicodeDecodeError as exc:
                text = data.decode(enc, errors="replace")
                notes.append(f"invalid {enc} at byte {exc.start}; bad bytes replaced with U+FFFD")
                return text, enc, notes
    if b"\x00" in data[:65536]:
        enc = _utf16_without_bom(data)
        if enc:
            notes.append(f"no byte-order mark; decoded as {enc.upper()}")
            return _nonempty(data.decode(enc, errors="replace"), path), enc, notes
    try:
        text, enc = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        text, enc = _fallback(data, path, exc, notes)
    if _binary_share(text) > 0.05:
        raise InputError(path, "binary file (control characters throughout); skipped")
    if "\x00" in text:
        text = text.replace("\x00", "")
        notes.append("NUL characters removed")
    return _nonempty(text, path), enc, notes


def _nonempty(text: str, path: str) -> str:
    if not text.strip(" \t\r\n\f\v\u3000\ufeff\x00"):
        raise InputError(path, "empty file (only whitespace or a byte-order mark); skipped")
    return text


# the most frequent characters of Chinese news text and ASCII: a decoding that yields many
# of them is the right one
_COMMON = set("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
              "也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物"
              "现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全"
              "表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无"
              "系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基"
              "资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取"
              "据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权"
              "收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离"
              "华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低"
              "持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历"
              "市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却"
              "专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞，。、：；！？“”（）《》")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 with no byte-order mark: the byte order whose text is mostly common characters."""
    best, best_share = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        text = data[: len(data) // 2 * 2][:65536].decode(enc, errors="replace")
        if not text:
            continue
        share = sum(1 for c in text if c in _COMMON or c.isascii() and (c.isprintable() or c in "\n\r\t")) / len(text)
        if share > best_share:
            best, best_share = enc, share
    return best if best_share >= 0.5 else None


def _fallback(data: bytes, path: str, exc: UnicodeDecodeError,
              notes: list[str]) -> tuple[str, str]:
    utf8_bad = _bad_bytes(data, "utf-8")
    try:
        text = data.decode("gb18030")
        notes.append("decoded as GB18030/GBK")
        return text, "gb18030"
    except UnicodeDecodeError:
        pass
    gb_bad = _bad_bytes(data, "gb18030")
    enc, bad = ("utf-8", utf8_bad) if utf8_bad <= gb_bad else ("gb18030", gb_bad)
    if bad <= max(4, _REPLACE_LIMIT * len(data)):
        where = f" (first at byte {exc.start})" if enc == "utf-8" else ""
        notes.append(f"{bad} undecodable byte(s) in {enc.upper()}{where} replaced with U+FFFD")
        return data.decode(enc, errors="replace"), enc
    raise InputError(path, f"not UTF-8, UTF-16 or GB18030 text ({bad} undecodable bytes); skipped")


def _bad_bytes(data: bytes, enc: str) -> int:
    return data.decode(enc, errors="replace").count("\ufffd") - data.decode(
        enc, errors="ignore").count("\ufffd")


_CONTROL = re.compile("[\x01-\x08\x0e-\x1f\x7f]")


def _binary_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)


def read_sidecar(path: str) -> dict:
    """Metadata the user put beside a page: ``page.meta.json`` or ``page.txt.meta.json``.

    Recognized keys: ``year`` (int) and ``date`` (``YYYY-MM-DD``, its year is used).
    """
    if path == "-":
        return {}
    p = Path(path)
    for cand in (p.with_suffix(".meta.json"), Path(str(p) + ".meta.json")):
        if cand.is_file():
            try:
                meta = json.loads(cand.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InputError(str(cand), f"unreadable metadata sidecar ({exc}); ignored") from None
            if not isinstance(meta, dict):
                raise InputError(str(cand), "metadata sidecar is not a JSON object; ignored")
            return meta
    return {}


def sidecar_year(meta: dict) -> int | None:
    year = meta.get("year")
    if year is None and isinstance(meta.get("date"), str) and meta["date"][:4].isdigit():
        year = meta["date"][:4]
    try:
        return int(year) if year is not None else None
    except (TypeError, ValueError):
        return None
