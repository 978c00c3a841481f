"""A large, deterministic corpus made by varying the five seed pages in ``seeds/``.

Each file is one seed page (in turn) rewritten for one district and one year:

* the district: 二七区 and the bare 二七 (二七商圈, 美好二七) become one of ``DISTRICTS``
  (invented two-character names + 区), so persons, posts and district bodies, which kg keys on
  the page's district, spread over 50 districts instead of collapsing into 二七区;
* the year: 2019–2024, written into the page (its 2023) and into a ``.meta.json`` sidecar
  (``{"year": …}``), as a crawler would, so undated pages still get full dates;
* the persons: every person name the seeds print (officials, reporters) is replaced by a name
  from the district's pool of ``POOL`` generated names (a common surname + one or two
  given-name characters). One district-year keeps a fixed cast (its 区委书记 is one person
  all year); each name is redrawn from the pool with probability ``REDRAW`` per page;
* the dates: every 月日 of the page gets another month and day.

``random.Random(seed)`` drives everything, so the same arguments give the same bytes.

Beside the pages, the generator writes what it invented (the truth kg is scored against by
``bench/careers.py``):

* ``truth.jsonl``: one line per page: ``file``, ``seed`` (the seed page it varies), ``district``,
  ``year``, ``names`` (each seed person name → the name printed in its place on this page) and
  ``dates`` (each 月日 of the seed page → the 月日 printed instead);
* ``careers.truth.jsonl``: the career rows those pages print, derived with the seeds' gold
  annotations (``tests/data/seeds.gold.jsonl``): for every article of the gold, every person
  and title it gives, one sighting of (invented name, title, district) on the article's date
  as the generator rewrote it; a row per (person, post, jurisdiction) with its first and last
  dated sighting and its counts of dated and undated sightings (:func:`true_careers`).

What this truth is, and what it is not: it is what the pages *print*, read through the gold
(a person is a name in a district, as kg keys persons; the generator has no persons, only
names, so two districts' namesakes are two rows and one name redrawn into two posts of a
district is one person with both). Titles are the gold's, without the place (区委书记); a
company title is the gold's bare 总经理 without its company, and marked ``company``. An article
the gold leaves undated (近日) is undated here too, although the page's year is known; an
article whose gold year is 2023 gets the page's year (the generator rewrites 2023), another
gold year (2021 on seed 001, from 建党100周年, which the generator leaves) is kept. It does not
know of gold errors, of persons the gold misses, or whether a 12月 date on a page of January
belongs to the year before.

    .venv/bin/python bench/corpus.py --articles 2000 --out bench/out/corpus-2000
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from pathlib import Path

MB = 2 ** 20
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "seeds.gold.jsonl"
SEED = 20240601
FORMAT = 4                       # bump when the generator changes: older corpora are rebuilt
# every person name kg finds in the seed pages (officials first, then reporters/photographers)
SEED_NAMES = ("虎荣鑫 樊惠林 吕安民 王泽文 申红涛 黄卫红 李卓瑜 陈红民 苏建设 唐莉军 武永祥 "
              "王玉卿 王永利 崔世英 安惠萍 吴书文 王同超 李爱国 屈连武 曹宪武 王传胜 杨迎春 "
              "苏莹玺 高留念 刘光远 陈卫东 董治会 刘奎志 李国立 张春丽 尹海燕 "
              "张爱芹 左学彬 张改华 王艳 时博 王垚 周祎 牛真 袁斌 李雅 冯沛 王伟 景静 张超").split()
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN_CHARS = ("建志海丽晓春玉栋红梅振德雪莲俊桂芳永刚淑珍博秀英卫新利军伟涛鹏磊静敏娟霞"
               "峰辉斌勇艳玲萍亮超鑫宇浩瑞琳")
DISTRICTS = [d + "区" for d in (
    "金水 惠济 管城 中原 上街 东明 西华 南湖 北辰 清源 河阳 丰泽 龙湖 凤台 柳林 "
    "青山 白沙 石门 云岭 松溪 梅江 兰亭 桂川 荷塘 杏坛 枫桥 桃源 梨园 竹溪 柏林 "
    "安平 永宁 长乐 康泰 广德 兴华 富民 顺义 昌平 嘉禾 瑞金 祥和 泰和 宏远 明德 "
    "崇文 博雅 怀仁 思源 汇通").split()]
YEARS = range(2019, 2025)
POOL = 150                       # generated names per district
REDRAW = 0.3                     # chance that a name is redrawn on one page
# a name may be broken across lines in a seed (尹海\n\n燕 on seed 004): kg joins the lines and
# reads the name, so the generator must replace it too (the invented name is printed unbroken)
NAME_RE = re.compile("|".join(r"(?:\n\s*)?".join(n) for n in sorted(SEED_NAMES, key=len, reverse=True)))
DATE_RE = re.compile(r"(\d{1,2})月(\d{1,2})日")
DATELINE = "本报讯"


def name_pool(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct generated names: a surname and one (1 in 5) or two given characters."""
    out: dict[str, None] = {}
    while len(out) < n:
        k = 1 if rng.random() < 0.2 else 2
        out[rng.choice(SURNAMES) + "".join(rng.choice(GIVEN_CHARS) for _ in range(k))] = None
    return list(out)


def _unbroken(name: str) -> str:
    return re.sub(r"\s", "", name)


class Varier:
    """Rewrites seed pages for a district and a year, with a fixed cast per district-year."""

    def __init__(self, seed: int = SEED) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.pools = {d: name_pool(self.rng, POOL) for d in DISTRICTS}
        self.casts: dict[tuple[str, int], dict[str, str]] = {}

    def cast(self, district: str, year: int) -> dict[str, str]:
        key = (district, year)
        if key not in self.casts:
            # its own generator, so a cast can be rebuilt without replaying the corpus
            rng = random.Random(f"{self.seed}|{district}|{year}")
            self.casts[key] = dict(zip(SEED_NAMES, rng.sample(self.pools[district], len(SEED_NAMES))))
        return self.casts[key]

    def vary(self, text: str, district: str, year: int) -> str:
        return self.vary_page(text, district, year)[0]

    def vary_page(self, text: str, district: str, year: int) -> tuple[str, dict[str, str], dict[str, str]]:
        """The page rewritten, the names printed for the seed names and the 月日 printed for
        each 月日 of the seed page (in the order they first appear)."""
        rng = self.rng
        names = dict(self.cast(district, year))
        pool = self.pools[district]
        for k in names:
            if rng.random() < REDRAW:
                names[k] = rng.choice(pool)
        text = NAME_RE.sub(lambda m: names[_unbroken(m.group())], text)
        bare = district[:-1]
        text = text.replace("二七区", district).replace("二七", bare)
        text = text.replace("2023", str(year))
        dates: dict[str, str] = {}
        text = DATE_RE.sub(lambda m: dates.setdefault(
            m.group(), f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"), text)
        return text, names, dates


    def vary_term(self, text: str, district: str, year: int) -> str:
        """A seed value (a query parameter's default) as the district-year's cast prints it:
        樊惠林 → its district-year's 樊惠林, 二七区 → the district, 2023 → the year."""
        names = self.cast(district, year)
        text = NAME_RE.sub(lambda m: names[_unbroken(m.group())], text)
        return text.replace("二七区", district).replace("二七", district[:-1]).replace("2023", str(year))


def seed_pages() -> list[tuple[str, int]]:
    """The seed pages' texts and their numbers of articles (datelines)."""
    pages = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return [(t, t.count(DATELINE)) for t in pages]


def seed_names() -> list[str]:
    """The seed pages' file names, in the order :func:`build_corpus` varies them."""
    return [p.name for p in sorted(SEEDS.glob("*.txt"))]


def _company(title: str) -> bool:
    """A title of the company ladder only (总经理, 董事长): the gold prints it without its company."""
    from kg.careers import rank_of

    return rank_of(title, "county") is None and rank_of(title, "company") is not None


def _true_date(gold: str | None, page: dict) -> str | None:
    """An article's gold date as the generator printed it on ``page`` (None: undated)."""
    if not gold:
        return None
    y, m, d = gold.split("-")[-3:] if not gold.startswith("--") else (None, *gold[2:].split("-"))
    year = page["year"] if y in (None, "2023") else int(y)
    for old, new in page["dates"].items():
        om, od = re.match(r"(\d+)月(\d+)日", old).groups()
        if (int(om), int(od)) == (int(m), int(d)):
            nm, nd = re.match(r"(\d+)月(\d+)日", new).groups()
            return f"{year:04d}-{int(nm):02d}-{int(nd):02d}"
    return f"{year:04d}-{int(m):02d}-{int(d):02d}"   # not printed as 月日: left as it was


def true_careers(pages, gold: Path = GOLD) -> list[dict]:
    """The career rows the pages print: one per (person, post, jurisdiction), with the first
    and last dated sighting and the counts of dated and undated sightings; ``pages`` are the
    records of ``truth.jsonl``."""
    articles: dict[str, list[dict]] = {}
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            a = json.loads(line)
            articles.setdefault(a["doc"], []).append(a)
    rows: dict[tuple[str, str, str], dict] = {}
    for page in pages:
        for a in articles.get(page["seed"], ()):
            when = _true_date(a.get("date"), page)
            for person, titles in a["persons"].items():
                name = page["names"].get(person)
                if name is None:        # a person the generator does not rename (none in the seeds)
                    continue
                for title in dict.fromkeys(titles):
                    key = (name, title, page["district"])
                    r = rows.setdefault(key, {"person": name, "post": title, "jurisdiction": page["district"],
                                              "company": _company(title), "first_seen": None,
                                              "last_seen": None, "dated_sightings": 0,
                                              "undated_sightings": 0, "pages": []})
                    if page["file"] not in r["pages"]:
                        r["pages"].append(page["file"])
                    if when is None:
                        r["undated_sightings"] += 1
                        continue
                    r["dated_sightings"] += 1
                    r["first_seen"] = min(r["first_seen"] or when, when)
                    r["last_seen"] = max(r["last_seen"] or when, when)
    return [rows[k] for k in sorted(rows)]


def read_truth(directory: Path) -> tuple[list[dict], list[dict]]:
    """The page records and the true career rows written beside a corpus."""
    def read(name):
        with open(Path(directory) / name, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    return read("truth.jsonl"), read("careers.truth.jsonl")


def build_corpus(directory: Path, articles: int, seed: int = SEED) -> dict:
    """Write varied seed pages (with year sidecars) into ``directory`` until they hold at least
    ``articles`` articles; returns the corpus description, also written to ``corpus.json``."""
    directory = Path(directory)
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    rng = random.Random(seed + 1)
    varier = Varier(seed)
    pages, names = seed_pages(), seed_names()
    truth: list[dict] = []
    on_page = [{_unbroken(m.group()) for m in NAME_RE.finditer(t)} for t, _ in pages]
    files = total_articles = size = 0
    pages_of: dict[tuple[str, int], int] = {}
    while total_articles < articles:
        text, n = pages[files % len(pages)]
        district, year = rng.choice(DISTRICTS), rng.choice(YEARS)
        varied, printed, dates = varier.vary_page(text, district, year)
        data = varied.encode("utf-8")
        sub = directory / f"{files // 1000:03d}"          # 1000 pages per folder
        sub.mkdir(exist_ok=True)
        (sub / f"{files:06d}.txt").write_bytes(data)
        truth.append({"file": f"{sub.name}/{files:06d}.txt", "seed": names[files % len(pages)],
                      "district": district, "year": year,
                      "names": {k: v for k, v in printed.items() if k in on_page[files % len(pages)]},
                      "dates": dates})
        (sub / f"{files:06d}.meta.json").write_text(json.dumps({"year": year}), encoding="utf-8")
        files += 1
        pages_of[district, year] = pages_of.get((district, year), 0) + 1
        total_articles += n
        size += len(data)
    meta = {"format": FORMAT, "seed": seed, "requested": articles, "articles": total_articles,
            "files": files, "mb": round(size / MB, 2), "districts": len(DISTRICTS),
            "years": [min(YEARS), max(YEARS)]}
    # the district-year with the most pages: query parameters are varied for it
    (d, y), n = max(pages_of.items(), key=lambda kv: (kv[1], kv[0]))
    meta["sample"] = {"district": d, "year": y, "pages": n}
    _write_jsonl(directory / "truth.jsonl", truth)
    careers = true_careers(truth)
    _write_jsonl(directory / "careers.truth.jsonl", careers)
    meta["truth"] = {"pages": len(truth), "career_rows": len(careers)}
    (directory / "corpus.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return meta


def _write_jsonl(path: Path, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def ensure_corpus(directory: Path, articles: int, seed: int = SEED, keep: bool = True) -> tuple[dict, bool]:
    """The corpus in ``directory`` if it was made with these arguments (and ``keep``), else a
    new one; returns its description and whether it was generated now."""
    try:
        meta = json.loads((Path(directory) / "corpus.json").read_text(encoding="utf-8"))
        if keep and meta.get("format") == FORMAT and meta.get("seed") == seed \
                and meta.get("requested") == articles:
            return meta, False
    except (OSError, ValueError):
        pass
    return build_corpus(directory, articles, seed), True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None, help="default bench/out/corpus-N")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    out = args.out or Path(__file__).resolve().parent / "out" / f"corpus-{args.articles}"
    print(json.dumps(build_corpus(out, args.articles, args.seed), indent=1))


if __name__ == "__main__":
    main()
