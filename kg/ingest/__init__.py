"""What happens to a page before extraction: find and decode it (:mod:`~kg.ingest.load`),
normalize it into a :class:`~kg.types.Document` (:mod:`~kg.ingest.normalize`), and split it
into articles with their headlines and bylines (:mod:`~kg.ingest.segment`, after
:mod:`~kg.ingest.starts` has found where each article starts).

The rules of the page's layout they share are :mod:`~kg.ingest.patterns` (dateline, lead and
byline expressions), :mod:`~kg.ingest.chrome` (the lines a site prints around an article),
:mod:`~kg.ingest.headlines` and :mod:`~kg.ingest.bylines`.
"""
