"""The part files Spark writes, under names a build run again gives again."""
from __future__ import annotations

from pathlib import Path


def tidy_parts(d: Path, ext: str = "parquet", dest: Path | None = None, prefix: str = "part-",
               suffix: str | None = None) -> None:
    """Spark's part files of ``d`` (``part-00003-<job uuid>….ext``) renamed, into ``dest``
    (default ``d``), as ``PREFIX00003.SUFFIX``: names that depend on their content only, in
    order, so a build run again gives the same bytes under the same names. Spark's
    ``_SUCCESS`` and checksum files go; so does ``d`` when ``dest`` is another directory."""
    import re
    import shutil

    dest = d if dest is None else dest
    for p in sorted(d.iterdir()):
        m = re.match(rf"part-(\d+)-.*\.{re.escape(ext)}$", p.name)
        if m:
            p.rename(dest / f"{prefix}{m.group(1)}.{suffix or ext}")
        elif p.name == "_SUCCESS" or p.name.startswith("."):
            p.unlink()
    if dest != d:
        shutil.rmtree(d)
