"""Input handling: finding files, decoding them, and reading metadata sidecars."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest.load import Source, decode, iter_sources, read_sidecar, sidecar_year
from kg.ingest.normalize import normalize
from kg.pipeline import extract_paths, read_document

PAGE = "本报讯 4月4日上午,区委书记樊惠林主持会议。记者 景静"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def paths_of(items) -> list[str]:
    return [Path(s.path).name for s in items if isinstance(s, Source)]


# --- encodings --------------------------------------------------------------------------------

ENCODED = {
    "utf-8": PAGE.encode("utf-8"),
    "utf-8 with BOM": PAGE.encode("utf-8-sig"),
    "gb18030": PAGE.encode("gb18030"),
    "gbk": PAGE.encode("gbk"),
    "utf-16-le with BOM": b"\xff\xfe" + PAGE.encode("utf-16-le"),
    "utf-16-be with BOM": b"\xfe\xff" + PAGE.encode("utf-16-be"),
}


@pytest.mark.parametrize("label", ENCODED)
def test_every_supported_encoding_decodes_to_the_same_text(label):
    text, _, _ = decode(ENCODED[label], "page.txt")
    assert text == PAGE


@pytest.mark.parametrize("label", ENCODED)
def test_every_encoding_normalizes_to_the_same_document(label):
    text, enc, notes = decode(ENCODED[label], "page.txt")
    doc = normalize(text, encoding=enc, notes=tuple(notes))
    assert doc.text == normalize(PAGE).text
    assert len(doc.folded) == len(doc.text)


def test_utf8_is_decoded_silently():
    assert decode(PAGE.encode("utf-8")) == (PAGE, "utf-8", [])


def test_a_utf8_bom_is_reported_as_the_encoding_and_dropped():
    text, enc, _ = decode(PAGE.encode("utf-8-sig"))
    assert enc == "utf-8 with BOM" and not text.startswith("\ufeff")


def test_gbk_is_decoded_as_gb18030_with_a_note():
    _, enc, notes = decode(PAGE.encode("gbk"))
    assert enc == "gb18030" and any("GB18030" in n for n in notes)


def test_utf16_without_bom_is_decoded_with_a_note_when_mostly_ascii():
    page = "Xinhua 2023-04-04 report, page 2: 本报讯 4月4日上午 meeting held."
    text, enc, notes = decode(page.encode("utf-16-le"), "page.txt")
    assert text == page and enc == "utf-16-le"
    assert any("byte-order mark" in n for n in notes)


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_chinese_utf16_without_bom_is_decoded_with_a_note(enc):
    text, _, notes = decode(PAGE.encode(enc), "page.txt")
    assert text == PAGE and notes


# --- binary and empty files -------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40)
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(40)
_rng = random.Random(1234)
CONTROL_NOISE = bytes(_rng.choice(b"\x00\x01\x02\x03\x04\x1b\x7fab") for _ in range(2000))


@pytest.mark.parametrize("data", [PNG, ZIP, CONTROL_NOISE], ids=["png", "zip", "noise"])
def test_binary_files_raise_an_input_error_naming_the_file(tmp_path, data):
    f = write(tmp_path / "page.txt", data)
    with pytest.raises(InputError, match="binary") as info:
        read_document(Source(str(f), f.name))
    assert info.value.path == str(f) and str(f) in str(info.value)


@pytest.mark.parametrize("data", [b"", b"   ", b" \n\t\r\n  \n"], ids=["empty", "spaces", "blank-lines"])
def test_empty_and_whitespace_only_files_raise_empty(tmp_path, data):
    f = write(tmp_path / "page.txt", data)
    with pytest.raises(InputError, match="empty") as info:
        read_document(Source(str(f), f.name))
    assert str(f) in str(info.value)


def test_a_bom_only_file_is_skipped_by_the_pipeline(tmp_path):
    write(tmp_path / "page.txt", b"\xef\xbb\xbf\n")
    (res,) = extract_paths([str(tmp_path)])
    assert isinstance(res, InputError)


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\xef\xbb\xbf \n", b"\xff\xfe"])
def test_a_bom_plus_whitespace_file_is_empty(data):
    with pytest.raises(InputError, match="empty"):
        decode(data, "page.txt")


# --- damaged text -----------------------------------------------------------------------------

def test_utf8_truncated_mid_character_decodes_with_replacement_and_a_note():
    data = PAGE.encode("utf-8") + "静".encode("utf-8")[:2]
    text, enc, notes = decode(data, "page.txt")
    assert enc == "utf-8" and text == PAGE + "\ufffd"
    assert any("U+FFFD" in n for n in notes)


def test_a_few_bad_bytes_inside_utf8_are_replaced_with_a_note():
    data = PAGE.encode("utf-8").replace("会议".encode("utf-8"), b"\xff\xfe")
    text, enc, notes = decode(data, "page.txt")
    assert enc == "utf-8" and "\ufffd" in text and text.startswith("本报讯") and notes


def test_text_that_is_neither_utf8_nor_gb18030_raises(tmp_path):
    rng = random.Random(7)
    f = write(tmp_path / "page.txt", bytes(rng.randrange(0x80, 0x100) for _ in range(2000)))
    with pytest.raises(InputError, match="not UTF-8") as info:
        read_document(Source(str(f), f.name))
    assert str(f) in str(info.value)


# --- finding files ----------------------------------------------------------------------------

def test_directories_are_walked_recursively_and_sorted(tmp_path):
    for rel in ["b.txt", "a.txt", "sub/c.txt", "sub/deeper/a.txt", "a0/z.txt"]:
        write(tmp_path / rel, PAGE)
    found = [Path(s.path).relative_to(tmp_path).as_posix() for s in iter_sources([str(tmp_path)])]
    assert found == ["a.txt", "b.txt", "a0/z.txt", "sub/c.txt", "sub/deeper/a.txt"]


def test_only_txt_files_are_read_by_default(tmp_path):
    for name in ["page.txt", "page.md", "image.png", "page.meta.json"]:
        write(tmp_path / name, PAGE)
    assert paths_of(iter_sources([str(tmp_path)])) == ["page.txt"]


def test_glob_chooses_other_files(tmp_path):
    for name in ["page.txt", "page.md", "sub/other.md"]:
        write(tmp_path / name, PAGE)
    assert paths_of(iter_sources([str(tmp_path)], glob="*.md")) == ["page.md", "other.md"]


def test_a_file_named_explicitly_is_read_whatever_its_suffix(tmp_path):
    f = write(tmp_path / "page.md", PAGE)
    assert paths_of(iter_sources([str(f)])) == ["page.md"]


def test_a_missing_path_yields_an_input_error_and_the_walk_goes_on(tmp_path):
    write(tmp_path / "page.txt", PAGE)
    missing = str(tmp_path / "nope.txt")
    out = list(iter_sources([missing, str(tmp_path)]))
    assert isinstance(out[0], InputError) and out[0].path == missing
    assert paths_of(out) == ["page.txt"]


def test_a_symlink_loop_does_not_hang(tmp_path):
    write(tmp_path / "d" / "page.txt", PAGE)
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d", target_is_directory=True)
    assert paths_of(iter_sources([str(tmp_path)])) == ["page.txt"]


def test_the_same_file_given_twice_is_read_once(tmp_path):
    f = str(write(tmp_path / "page.txt", PAGE))
    assert paths_of(iter_sources([f, f])) == ["page.txt"]


def test_a_file_and_its_directory_read_the_file_once(tmp_path):
    f = str(write(tmp_path / "page.txt", PAGE))
    assert paths_of(iter_sources([f, str(tmp_path)])) == ["page.txt"]


def test_a_symlink_to_a_file_already_read_is_skipped(tmp_path):
    f = write(tmp_path / "page.txt", PAGE)
    (tmp_path / "alias.txt").symlink_to(f)
    assert len(paths_of(iter_sources([str(tmp_path)]))) == 1


# --- metadata sidecars ------------------------------------------------------------------------

@pytest.mark.parametrize("meta", ['{"year": 2023}', '{"date": "2023-05-01"}', '{"year": "2023"}'])
def test_a_sidecar_gives_the_year(tmp_path, meta):
    page = write(tmp_path / "page.txt", PAGE)
    write(tmp_path / "page.meta.json", meta)
    assert sidecar_year(read_sidecar(str(page))) == 2023


def test_a_sidecar_may_also_be_named_after_the_full_file_name(tmp_path):
    page = write(tmp_path / "page.txt", PAGE)
    write(tmp_path / "page.txt.meta.json", '{"year": 2019}')
    assert sidecar_year(read_sidecar(str(page))) == 2019


def test_no_sidecar_gives_no_year(tmp_path):
    page = write(tmp_path / "page.txt", PAGE)
    assert read_sidecar(str(page)) == {} and sidecar_year({}) is None


def test_the_sidecar_year_reaches_the_document(tmp_path):
    page = write(tmp_path / "page.txt", PAGE)
    write(tmp_path / "page.meta.json", '{"date": "2023-05-01"}')
    doc, _ = read_document(Source(str(page), page.name))
    assert doc.year == 2023


@pytest.mark.parametrize("meta", ["{not json", "[2023]"], ids=["not-json", "not-object"])
def test_a_broken_sidecar_raises_naming_the_sidecar(tmp_path, meta):
    page = write(tmp_path / "page.txt", PAGE)
    side = write(tmp_path / "page.meta.json", meta)
    with pytest.raises(InputError) as info:
        read_sidecar(str(page))
    assert info.value.path == str(side) and "meta.json" in str(info.value)


def test_a_broken_sidecar_is_only_a_warning_for_the_page(tmp_path):
    page = write(tmp_path / "page.txt", PAGE)
    write(tmp_path / "page.meta.json", "{not json")
    doc, warnings = read_document(Source(str(page), page.name))
    assert doc.text and any("page.meta.json" in w for w in warnings)
