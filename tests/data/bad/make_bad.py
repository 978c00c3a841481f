"""Bad inputs for ``kg build``: regenerate the small committed cases, generate the large ones.

The small cases live beside this script as real files (see CASES.md). This script rebuilds
them (``python make_bad.py --small DIR``) and generates the cases that are too large to commit
or that depend on the machine (permissions, symlinks, FIFOs, odd file names)::

    python tests/data/bad/make_bad.py big_single_line /tmp/bad          # 50 MB on one line
    python tests/data/bad/make_bad.py tiny_files /tmp/bad --size 20000   # 20,000 tiny files
    python tests/data/bad/make_bad.py --list

From Python: ``make(case, dest_dir, size=None) -> list[pathlib.Path]`` returns the paths to give
to ``kg build`` (a missing path is returned but not created).
"""
from __future__ import annotations

import argparse
import io
import os
import random
import struct
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parents[2] / "seeds"
SEED = {n: SEEDS / f for n, f in (("000", "000_8b5a061d728f5a52.txt"), ("001", "001_dedb1f4c46c2b9e3.txt"),
                                  ("002", "002_5691262fa9ceeb0d.txt"), ("003", "003_d98d242f13f66086.txt"),
                                  ("004", "004_3ffb1123e71c06d5.txt"))}

# A short page of our own (another district, other people) so that its facts never mix with
# those of the good seed pages a test builds it with.
ARTICLE = """金水区召开防汛工作部署会 压紧压实责任确保安全度汛

本报讯 6月1日上午,金水区召开防汛工作部署会。区委书记张建国出席会议并讲话,区委副书记、区长李明华主持会议。

张建国强调,要压实防汛责任,加强隐患排查,确保群众生命财产安全。

李明华要求,各街道要做好物资储备和值班值守工作。

记者 王小红
"""


def article(headline: str = "金水区召开防汛工作部署会 压紧压实责任确保安全度汛",
            sec: str = "张建国", mayor: str = "李明华", sec_title: str = "区委书记") -> str:
    return (ARTICLE.replace("金水区召开防汛工作部署会 压紧压实责任确保安全度汛", headline)
            .replace("区委书记张建国", sec_title + sec).replace("张建国强调", sec + "强调")
            .replace("李明华", mayor))


def seed_text(n: str) -> str:
    return SEED[n].read_text(encoding="utf-8")


# -- small cases (committed) -----------------------------------------------------------------

def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _jpeg() -> bytes:
    # the smallest JFIF header plus filler: enough for anything that sniffs the magic
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            + bytes(random.Random(7).randrange(256) for _ in range(600)) + b"\xff\xd9")


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("page.txt", ARTICLE)
    return buf.getvalue()


def _mixed() -> bytes:
    text = seed_text("004")
    cut = text.index("\n", len(text) // 2) + 1          # a paragraph boundary in the middle
    return text[:cut].encode("utf-8") + text[cut:].encode("gbk")


def _truncated() -> bytes:
    data = seed_text("001").encode("utf-8")
    i = int(len(data) * 0.6)
    while data[i] < 0xC0:                                # go to the lead byte of a character
        i += 1
    return data[: i + 1]                                 # keep the lead byte only


def _nul_control() -> bytes:
    text = article().replace("张建国出席", "张\x00建国出席").replace("。\n", "。\x00\n")
    text = text.replace("李明华要求", "\x07李明华\x1b[0m要求").replace("记者", "\x0c记者")
    return text.encode("utf-8")


def _ansi() -> bytes:
    text = article().replace("区委书记张建国", "\x1b[1;31m区委书记张建国\x1b[0m")
    text = text.replace("李明华要求", "\x1b[32m李明华\x1b[0m要求")
    return text.encode("utf-8")


HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>金水区召开防汛工作部署会_金水新闻网</title>
<style>p { text-indent: 2em; } .nav > a { color: #c00; }</style>
<script type="text/javascript">var _hmt = _hmt || []; if (a < b && c > d) { track("金水区"); }</script>
</head><body><div class="nav"><a href="/">首页</a> &gt; <a href="/news/">金水要闻</a></div>
<h1>金水区召开防汛工作部署会 压紧压实责任确保安全度汛</h1>
<div class="content">
<p>本报讯&nbsp;6月1日上午,金水区召开防汛工作部署会。区委书记<b>张建国</b>出席会议并讲话,区委副书记、区长<span style="color:red">李明华</span>主持会议。</p>
<p>张建国强调,要压实防汛责任,加强隐患排查,确保&ldquo;人民群众&rdquo;生命财产安全&amp;社会稳定。</p>
<p>李明华要求,各街道要做好物资储备和值班值守工作&#12290;</p>
<p>记者&#x3000;王小红</p>
</div><!-- 页脚 --><div class="footer">版权所有 &copy; 2023 金水区融媒体中心</div></body></html>
"""

GARBLED = ("锟斤拷锟斤拷", "ï»¿", "\ufffd\ufffd", "鈥溿€", "Ã¤Â¸Â­Ã¦Â–Â‡", "烫烫烫")


def _traditional() -> str:
    import opencc
    trad = opencc.OpenCC("s2t").convert(article())
    lines = trad.split("\n")
    lines[0] = GARBLED[0] + lines[0] + GARBLED[1]
    lines.insert(3, GARBLED[3] + GARBLED[2] + "［頁面載入錯誤］" + GARBLED[4])
    return "\n".join(lines) + GARBLED[5] + "\n"


NO_MARKER = """金水区今年以来持续推进老旧小区改造

金水区今年以来持续推进老旧小区改造工作,改造内容包括供水、供电、供暖管网更新和外墙保温等。
各街道结合居民意愿,分批次组织实施,目前已完成改造小区三十余个。
下一步,金水区将进一步完善长效管理机制,让居民住得更舒心。
"""

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文斌海燕玉梅晓东春雷宁凯"


def names(n: int, seed: int = 1) -> list[str]:
    rng, out, seen = random.Random(seed), [], set()
    while len(out) < n:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def names_list(n: int = 600) -> str:
    people = names(n)
    titled = "、".join(f"区委常委{p}" for p in people[:40])
    return (f"金水区召开全区干部大会\n\n本报讯 6月2日上午,金水区召开全区干部大会。"
            f"{titled}等出席会议。\n\n参加会议的还有(按姓氏笔画排序):{'、'.join(people[40:])}。\n\n"
            f"区委书记张建国主持会议并讲话。\n\n记者 王小红\n")


HOSTILE = {
    "script": "<script>alert(1)</script>",
    "onerror": '"onerror=',
    "cypher": "'}) DETACH DELETE n //",
    "drop": '" } ; DROP ALL ; #',
}


def hostile(s: str) -> str:
    """The hostile string as a person's name, in a post title, in the headline and in a quote."""
    return (f"金水区{s}召开防汛工作部署会\n\n"
            f"本报讯 6月1日上午,金水区召开“{s}”防汛工作部署会。区委书记张{s}国出席会议并讲话,"
            f"区委副书记、区长{s}主持会议。{s}区委书记李明华参加会议。\n\n"
            f"张{s}国强调,要压实防汛责任,确保群众生命财产安全。\n\n记者 王{s}\n")


EMOJI_RTL = (article()
             .replace("金水区召开防汛工作部署会", "金水区召开防汛工作部署会🌧️☔", 1)      # the headline
             .replace("区委书记张建国", "区委书记\u200f张建国\u200e")
             .replace("李明华主持会议。", "\u202e李明华\u202c主持会议👍🏽👨\u200d👩\u200d👧 مرحبا שלום 🇨🇳。")
             .replace("记者 王小红", "记者 王小红\u2067\u2069"))


def _latin1() -> bytes:
    return ("Réunion du conseil municipal: le maire François Dupré a présenté le budget. "
            "Les élus ont approuvé à l'unanimité. Coût: 12 500 €.\n" * 6).encode("cp1252")


def small_cases() -> dict[str, bytes]:
    """File name → bytes of every committed case."""
    rnd = random.Random(42)
    utf16 = article().encode("utf-16-le")
    bad16 = b"\xff\xfe" + utf16[:100] + b"\x00\xd8" + b"A\x00" + utf16[100:]   # a lone surrogate
    return {
        "empty.txt": b"",
        "whitespace_only.txt": " \t\r\n\n\u3000\u3000\n\t  \n".encode("utf-8"),
        "bom_only.txt": b"\xef\xbb\xbf\r\n  \r\n",
        "image_png.txt": _png(),
        "photo.jpg": _jpeg(),
        "archive.zip": _zip(),
        "random_bytes.txt": bytes(rnd.randrange(256) for _ in range(4096)),
        "control_chars.txt": bytes(rnd.choice(b"\x01\x02\x03\x04\x05\x06\x0e\x0f\x10\x11\x1b\x7fabc")
                                   for _ in range(2048)),
        "utf16le_nobom.txt": utf16,
        "utf16be_nobom.txt": article().encode("utf-16-be"),
        "utf16_bad_surrogate.txt": bad16,
        "gbk_seed002.txt": seed_text("002").encode("gbk"),
        "gb18030_seed003.txt": (seed_text("003") + "\n附:扩展字符𠮷䶮\n").encode("gb18030"),
        "mixed_utf8_gbk.txt": _mixed(),
        "utf8_truncated.txt": _truncated(),
        "nul_and_control.txt": _nul_control(),
        "ansi_escapes.txt": _ansi(),
        "latin1_cp1252.txt": _latin1(),
        "html_page.txt": HTML.encode("utf-8"),
        "traditional_garbled.txt": _traditional().encode("utf-8"),
        "no_marker.txt": NO_MARKER.encode("utf-8"),
        "names_list_600.txt": names_list(600).encode("utf-8"),
        **{f"hostile_{k}.txt": hostile(v).encode("utf-8") for k, v in HOSTILE.items()},
        "emoji_rtl.txt": EMOJI_RTL.encode("utf-8"),
        "bad_sidecar/page.txt": article(headline="金水区召开河长制工作会议").encode("utf-8"),
        "bad_sidecar/page.meta.json": b'{"year": 2023, "date": ',
    }


def write_small(dest: Path) -> list[Path]:
    out = []
    for name, data in small_cases().items():
        p = Path(dest) / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        out.append(p)
    return out


# -- generated cases ---------------------------------------------------------------------------

ONE_LINE_SEEDS = ("002", "003", "004")


def _big_single_line(dest: Path, size: int) -> list[Path]:
    """About ``size`` bytes of real page text on one line (seeds 002 to 004, line breaks turned
    to spaces, over and over); it ends on a whole character."""
    unit = " ".join(" ".join(seed_text(n).split()) for n in ONE_LINE_SEEDS).encode("utf-8") + b" "
    p = dest / f"single_line_{size}.txt"
    with open(p, "wb") as fh:
        left = size
        while left >= len(unit):
            fh.write(unit)
            left -= len(unit)
        fh.write(unit[:left].decode("utf-8", errors="ignore").encode())
    return [p]


def _tiny_files(dest: Path, count: int) -> list[Path]:
    """``count`` tiny pages, a few bytes each, in one directory."""
    d = dest / f"tiny_{count}"
    d.mkdir()
    for i in range(count):
        (d / f"t{i:05d}.txt").write_bytes(f"第{i}号\n".encode())
    return [d]


def _names_list(dest: Path, count: int) -> list[Path]:
    p = dest / f"names_list_{count}.txt"
    p.write_text(names_list(count), encoding="utf-8")
    return [p]


def _unreadable(dest: Path, _size) -> list[Path]:
    p = dest / "unreadable.txt"
    p.write_text(article(headline="金水区召开安全生产工作会议"), encoding="utf-8")
    p.chmod(0)
    return [p]


def _unreadable_dir(dest: Path, _size) -> list[Path]:
    """A directory with a readable page and a subdirectory nobody may list."""
    d = dest / "locked_tree"
    (d / "locked").mkdir(parents=True)
    (d / "open.txt").write_text(article(headline="金水区召开安全生产工作会议"), encoding="utf-8")
    (d / "locked" / "inside.txt").write_text(article(headline="金水区召开消防工作会议"),
                                             encoding="utf-8")
    (d / "locked").chmod(0)
    return [d]


def _missing(dest: Path, _size) -> list[Path]:
    return [dest / "no_such_page.txt"]


def _symlink_dir_loop(dest: Path, _size) -> list[Path]:
    d = dest / "loopdir"
    (d / "sub").mkdir(parents=True)
    (d / "page.txt").write_text(article(headline="金水区召开城市管理工作会议"), encoding="utf-8")
    (d / "sub" / "up").symlink_to("..", target_is_directory=True)   # loopdir/sub/up → loopdir
    (d / "self").symlink_to(".", target_is_directory=True)          # loopdir/self → loopdir
    return [d]


def _symlink_self(dest: Path, _size) -> list[Path]:
    p = dest / "self_loop.txt"
    p.symlink_to("self_loop.txt")                                    # ELOOP when opened
    return [p]


def _dangling(dest: Path, _size) -> list[Path]:
    p = dest / "dangling.txt"
    p.symlink_to("gone/nowhere.txt")
    return [p]


def _fifo(dest: Path, _size) -> list[Path]:
    d = dest / "with_fifo"
    d.mkdir()
    os.mkfifo(d / "pipe.txt")
    return [d]


def _non_utf8_name(dest: Path, _size) -> list[Path]:
    d = dest / "odd_names"
    d.mkdir()
    name = os.fsdecode(b"\xb1\xbe\xb1\xa8-gbk-name.txt")             # 本报 in GBK bytes
    (d / name).write_text(article(headline="金水区召开文明城市创建推进会"), encoding="utf-8")
    return [d]


def _hostile_filename(dest: Path, _size) -> list[Path]:
    p = dest / "\"onerror=alert(1) x='}) DETACH DELETE n ; <img src=x>.txt"
    p.write_text(article(headline="金水区召开营商环境优化工作会议"), encoding="utf-8")
    return [p]


GENERATED = {
    "big_single_line": (_big_single_line, 50 * 1024 * 1024),
    "tiny_files": (_tiny_files, 20_000),
    "names_list_large": (_names_list, 5_000),
    "unreadable": (_unreadable, None),
    "unreadable_dir": (_unreadable_dir, None),
    "missing": (_missing, None),
    "symlink_dir_loop": (_symlink_dir_loop, None),
    "symlink_self_loop": (_symlink_self, None),
    "dangling_symlink": (_dangling, None),
    "fifo": (_fifo, None),
    "non_utf8_filename": (_non_utf8_name, None),
    "hostile_filename": (_hostile_filename, None),
}


def make(case: str, dest_dir, size: int | None = None) -> list[Path]:
    """Generate ``case`` into ``dest_dir``; return the paths to give to ``kg build``.

    ``size``: bytes of ``big_single_line``, files of ``tiny_files``, names of
    ``names_list_large`` (defaults: 50 MB, 20,000, 5,000).
    """
    fn, default = GENERATED[case]
    dest = Path(dest_dir)
    dest.mkdir(parents=True, exist_ok=True)
    return fn(dest, size if size is not None else default)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("case", nargs="?", help="a generated case (see --list)")
    ap.add_argument("dest", nargs="?", help="directory to write into")
    ap.add_argument("--size", type=int, default=None)
    ap.add_argument("--small", metavar="DIR", help="rewrite the committed small cases into DIR")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args(argv)
    if a.list:
        print("\n".join(GENERATED))
        return 0
    if a.small:
        for p in write_small(Path(a.small)):
            print(p)
        return 0
    if not (a.case and a.dest) or a.case not in GENERATED:
        ap.error("give a CASE from --list and a DEST directory (or --small DIR)")
    for p in make(a.case, a.dest, a.size):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
