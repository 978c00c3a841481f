"""Find input files and decode them: UTF-8 (± BOM), UTF-16 with BOM, GB18030/GBK.

Binary and undecodable files raise :class:`InputError` naming the file, so a caller can report
them and carry on with the rest.
"""
from __future__ import annotations

import errno
import html
import json
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from kg.errors import InputError, InputWarning

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

    path: str               # as shown and recorded (a file name that is not UTF-8 is escaped)
    name: str
    data: bytes | None = None
    fs_path: str | None = None   # the real path, when it differs from ``path``

    @property
    def real_path(self) -> str:
        """The path to open."""
        return self.fs_path or self.path

    def read_bytes(self) -> bytes:
        if self.data is not None:
            return self.data
        real = self.real_path
        try:
            mode = os.stat(real).st_mode
            if not stat.S_ISREG(mode):
                what = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                        else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a directory"
                        if stat.S_ISDIR(mode) else "a special file")
                raise InputError(self.path, f"not a regular file ({what}); skipped")
            return Path(real).read_bytes()
        except FileNotFoundError:
            if os.path.islink(real):
                raise InputError(self.path, "a broken symbolic link (its target does not exist); "
                                            "skipped") from None
            raise InputError(self.path, "no such file; skipped") from None
        except IsADirectoryError:
            raise InputError(self.path, "is a directory") from None
        except PermissionError:
            raise InputError(self.path, "permission denied; skipped") from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise InputError(self.path, "a symbolic link loop (too many levels of links); "
                                            "skipped") from None
            raise InputError(self.path, f"cannot be read ({exc.strerror or exc}); skipped") from None


def _source(path: Path) -> Source:
    """A Source for ``path``; a name that is not valid UTF-8 is shown with ``\\xNN`` escapes."""
    p = str(path)
    try:
        p.encode("utf-8")
        return Source(p, path.name)
    except UnicodeEncodeError:
        shown = os.fsencode(p).decode("utf-8", "backslashreplace")
        return Source(shown, os.fsencode(path.name).decode("utf-8", "backslashreplace"), fs_path=p)


def iter_sources(paths: list[str], glob: str = "*.txt") -> Iterator[Source | InputError | InputWarning]:
    """Yield a :class:`Source` per file named or found below a directory (sorted, recursive).

    ``-`` reads standard input. A path that does not exist, or a directory that cannot be
    listed, yields an :class:`InputError` instead of stopping the walk; a directory reached
    again through a symbolic link yields an :class:`InputWarning` and is not read twice.
    """
    seen: set[str] = set()
    for p in paths:
        if p == "-":
            yield Source("-", "stdin", sys.stdin.buffer.read())
            continue
        if not p.strip():
            yield InputError(repr(p), "an empty path names no file (an unset variable?); skipped")
            continue
        path = Path(p)
        if path.is_dir():
            yield from _walk(path, glob, seen)
        elif path.exists() or path.is_symlink():
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                yield _source(path)
        else:
            yield InputError(str(path), "no such file or directory; skipped")


def _walk(root: Path, glob: str, seen: set[str]) -> Iterator[Source | InputError | InputWarning]:
    visited: set[str] = set()
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=errors.append):
        yield from _listing_errors(errors)
        real = os.path.realpath(dirpath)
        if real in visited:          # a symlink loop: do not descend again
            dirnames[:] = []
            yield InputWarning(dirpath, f"a symbolic link back to {real} (a loop); not followed "
                                        f"again")
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
            yield _source(full)
    yield from _listing_errors(errors)


def _listing_errors(errors: list[OSError]) -> Iterator[InputError]:
    for exc in errors:
        yield InputError(exc.filename or "?", f"directory cannot be listed ({exc.strerror or exc}); "
                                              f"its files are skipped")
    errors.clear()


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
    text, n = _ANSI.subn("", text)
    if n:
        notes.append(f"{n} terminal escape code(s) (ESC[…m) removed")
    if _binary_share(text) > 0.05:
        raise InputError(path, "binary file (control characters throughout); skipped")
    if "\x00" in text:
        text = text.replace("\x00", "")
        notes.append("NUL characters removed")
    text = _from_html(text, notes)
    ours = any("U+FFFD" in n for n in notes)       # replacement characters kg put there itself
    garbled = sum(text.count(g) for g in _MOJIBAKE if not (ours and g == "\ufffd"))
    if garbled:
        notes.append(f"{garbled} garbled character(s) (U+FFFD, 锟斤拷 …) from an earlier bad "
                     f"conversion; kept as they are")
    return _nonempty(text, path), enc, notes


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
# leftovers of text decoded with the wrong encoding somewhere upstream
_MOJIBAKE = ("\ufffd", "锟斤拷", "烫烫烫", "屯屯屯", "ï»¿", "â€", "鈥")
_HTML_TAG = re.compile(r"<(?:!doctype|html|head|body|p|div|br|span|h[1-6]|table|tr|td|meta|title|"
                       r"article|section|li|ul|a)\b[^<>]*>", re.IGNORECASE)


def _from_html(text: str, notes: list[str]) -> str:
    """An HTML page: scripts, styles and comments dropped, block ends made line breaks, the
    other tags removed and entities decoded. Text with a stray tag or two is left alone."""
    if len(_HTML_TAG.findall(text, 0, 200_000)) < 3:
        return text
    text = re.sub(r"(?is)<(script|style|noscript)\b.*?</\1\s*>|<!--.*?-->", "", text)
    text = re.sub(r"(?i)<br\s*/?>|</(?:p|div|h[1-6]|li|tr|title|table|section|article|header|footer)\s*>",
                  "\n", text)
    text = html.unescape(re.sub(r"<[^<>]*>", "", text))
    notes.append("an HTML page: tags removed and entities decoded")
    return text


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
    mixed = _mixed(data)
    if mixed is not None:
        text, n_utf8, n_gb = mixed
        notes.append(f"mixed encodings: {n_utf8} line(s) decoded as UTF-8 and {n_gb} as GB18030/GBK")
        return text, "utf-8+gb18030"
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


def _mixed(data: bytes) -> tuple[str, int, int] | None:
    """A file pasted together from UTF-8 and GBK parts: decoded line by line, or None when it
    is not that (a line of UTF-8 with a few bad bytes, a truncated end, is still UTF-8)."""
    lines = data.split(b"\n")
    kinds = []
    for line in lines:
        try:
            line.decode("utf-8")
            kinds.append("u" if sum(b >= 0x80 for b in line) >= 6 else "a")
        except UnicodeDecodeError:
            if _bad_bytes(line, "utf-8") <= 3:
                kinds.append("u?")
                continue
            try:
                line.decode("gb18030")
                kinds.append("g")
            except UnicodeDecodeError:
                kinds.append("?")
    n_utf8, n_gb = kinds.count("u"), kinds.count("g")
    if n_utf8 < 2 or n_gb < 2 or kinds.count("?") > 0:
        return None
    text = "\n".join(line.decode("gb18030") if k == "g" else line.decode("utf-8", "replace")
                     for line, k in zip(lines, kinds))
    return text, n_utf8, n_gb


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
