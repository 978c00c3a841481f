"""Lexicons kept as data files under ``kg/extract/data`` and the jieba segmenter they feed.

Everything is loaded lazily, once per process (no import-time work).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kg.types import Relation


def _read(name: str) -> list[str]:
    text = resources.files("kg.extract").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class Lexicon:
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    rare_surnames: frozenset[str]       # also common words (占, 才, 能): read only where anchored
    translit: frozenset[str]            # characters of transliterated minority names
    posts: tuple[str, ...]
    post_re: re.Pattern
    relations: dict[str, Relation]
    relation_re: re.Pattern
    follow: tuple[str, ...]
    follow_re: re.Pattern
    org_suffixes: tuple[str, ...]
    org_long: tuple[str, ...]            # organization type words of two or more characters
    project_suffixes: tuple[str, ...]
    place_suffixes: tuple[str, ...]
    body_acts: tuple[str, ...]
    works: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    surnames = _read("surnames.txt")
    posts = _read("posts.txt")
    rel = {}
    for line in _read("relations.tsv"):
        verb, relation = line.split("\t")
        rel[verb] = Relation(relation)
    follow = _read("follow.txt")
    return Lexicon(
        surnames=frozenset(s for s in surnames if len(s) == 1),
        compound_surnames=frozenset(s for s in surnames if len(s) == 2),
        rare_surnames=frozenset(s for s in _read("surnames_rare.txt") if len(s) == 1),
        translit=frozenset(c for line in _read("translit.txt") for c in line.split()),
        posts=tuple(sorted(posts, key=len, reverse=True)),
        post_re=re.compile(f"(?:{_alternation(posts)})"),
        relations=rel,
        relation_re=re.compile(f"(?:{_alternation(rel)})"),
        follow=tuple(follow),
        follow_re=re.compile(f"(?:{_alternation(follow)})"),
        org_suffixes=tuple(sorted(set(_read("org_suffixes.txt") + _read("departments.txt")),
                                  key=len, reverse=True)),
        org_long=tuple(w for w in _read("org_suffixes.txt") + _read("departments.txt") if len(w) >= 2),
        project_suffixes=tuple(sorted(_read("project_suffixes.txt"), key=len, reverse=True)),
        place_suffixes=tuple(sorted(_read("place_suffixes.txt"), key=len, reverse=True)),
        body_acts=tuple(sorted(_read("body_acts.txt"), key=len, reverse=True)),
        works=frozenset(_read("works.txt")),
    )


@lru_cache(maxsize=None)
def words_re(name: str, before_han: bool = False) -> re.Pattern:
    """A regex matching any word of the data file ``name`` (longest first); with
    ``before_han``, only where a Han character follows (村民|汪某)."""
    tail = "(?=[\u4e00-\u9fff])" if before_han else ""
    return re.compile(f"(?:{_alternation(_read(name))}){tail}")


@lru_cache(maxsize=1)
def tokenizer():
    """A jieba tokenizer of its own, taught the title, organization and verb lexicons."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    lex = lexicon()
    for w in lex.posts:
        tok.add_word(w, freq=20000)
    for w in lex.relations:
        if len(w) > 1:
            tok.add_word(w, freq=20000)
    for w in lex.org_suffixes + lex.project_suffixes:
        if len(w) > 1:
            tok.add_word(w, freq=5000)
    return tok


@lru_cache(maxsize=1)
def word_tags() -> dict[str, str]:
    """jieba's dictionary part-of-speech tags, read without running the (slow) POS tagger."""
    tok = tokenizer()
    tags: dict[str, str] = {}
    with open(tok.get_dict_file().name, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags


def cut(text: str, hmm: bool = True) -> list[str]:
    """Segment a short text with jieba (HMM on by default, so unknown names come out whole)."""
    return tokenizer().lcut(text, HMM=hmm)


def word_freq(word: str) -> int:
    """Frequency of a word in jieba's dictionary (0 when absent)."""
    return tokenizer().FREQ.get(word, 0) or 0
