"""Named queries: read a ``queries/*.rq`` file, bind its parameters, run it, format the rows.

A query file starts with comment lines::

    # Who attended the events a person chaired.
    # @param ?chair "樊惠林"@zh  the person who chaired

Each ``@param`` names a variable and gives its default as an RDF term in Turtle syntax. A value
given on the command line (``--param chair=王泽文``) takes the default's type (language tag or
datatype). Values are bound, never pasted into the query text: they travel in a ``VALUES``
block at the start of the outermost WHERE group (and of each subquery's, which is evaluated
on its own), SPARQL's own way of giving a query its inputs, made of RDF terms written by
rdflib's serializer (quotes and backslashes escaped), so no value can change the query. The
same binding runs on the embedded store (pyoxigraph) and on a remote endpoint. (pyoxigraph's
SEP-0007 substitutions only bind variables of the SELECT projection.)
A value bound this way is not visible in HAVING; the ranked queries group by their ``?min``.

The package, by concern:

* :mod:`kg.query.files`: reading a query file and its header, listing a folder of them;
* :mod:`kg.query.params`: the ``--param`` values given and how they are bound (``VALUES``,
  Cypher parameters);
* :mod:`kg.query.sparql`: the pyoxigraph store of a build and remote SPARQL endpoints;
* :mod:`kg.query.cypher`: a graph database connection, or a local FalkorDB loaded from a build;
* :mod:`kg.query.result`: the rows and their table, CSV and JSON forms.
"""
from kg.query.files import QueryError, QueryFile, Param, list_queries, read_query, summary
from kg.query.params import (bindings, cypher_params, cypher_value, name_params, param_value,
                             parse_params, with_values)
from kg.query.result import Result, format_result
from kg.query.sparql import (STORE_DIR, drop_store, load_store, open_store, run_endpoint,
                             run_sparql, run_store)
from kg.query.cypher import run_cypher, run_cypher_build

__all__ = [
    "QueryError", "QueryFile", "Param", "list_queries", "read_query", "summary",
    "bindings", "cypher_params", "cypher_value", "name_params", "param_value", "parse_params",
    "with_values",
    "Result", "format_result",
    "STORE_DIR", "drop_store", "load_store", "open_store", "run_endpoint", "run_sparql", "run_store",
    "run_cypher", "run_cypher_build",
]
