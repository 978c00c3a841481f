"""Where a build runs: here, in processes (:mod:`kg.engines.local`, the default), or on Apache
Spark (:mod:`kg.engines.spark`). Both call the same stage functions over Arrow batches
(:mod:`kg.engines.stages`): one extraction, one resolution and one assembly code, so the two
engines give the same graph and every export after it is the same code too.
"""
from kg.engines.stages import EXTRACT_IN, EXTRACT_OUT, extract_batches, job_table, results

ENGINES = ("local", "spark")

__all__ = ["ENGINES", "EXTRACT_IN", "EXTRACT_OUT", "extract_batches", "job_table", "results"]
