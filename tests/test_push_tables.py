"""``kg push`` from a build's Parquet tables, read in batches, against a real FalkorDB: the
database holds what a push of the whole graph leaves there (nodes, labels, relationships and
every property), a second push creates nothing, and ``--prune`` keeps exactly the build."""
from __future__ import annotations

from click.testing import CliRunner

from kg.export.cypher import to_properties
from kg.graph import read_build
from kg.graphdb import push
from kg.graphdb.tables import push_tables
from test_push_prune import changed, counts

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "export"))
from test_cypher import dump  # noqa: E402


def test_a_push_from_the_tables_is_the_push_of_the_graph(seeds_build, fresh_graph):
    kg = read_build(seeds_build)
    a, b = fresh_graph(), fresh_graph()
    whole = push(kg, a)
    parts = push_tables(seeds_build / "tables", b, batch_size=7)
    assert dump(b) == dump(a)
    assert (parts.nodes_created, parts.rels_created) == (whole.nodes_created, whole.rels_created)
    nodes, rels = dump(b)
    assert len(nodes) == kg.graph.number_of_nodes() and len(rels) == kg.graph.number_of_edges()
    u, v, k, d = next(iter(kg.graph.edges(keys=True, data=True)))
    assert rels[(u, k, v)] == to_properties(d)                   # evidence and all
    again = push_tables(seeds_build / "tables", b)
    assert sum(again.nodes_created.values()) == sum(again.rels_created.values()) == 0
    assert sum(again.nodes_existing.values()) == kg.graph.number_of_nodes()


def test_prune_from_the_tables_leaves_exactly_the_build(seeds_build, fresh_graph):
    kg = read_build(seeds_build)
    other, gone = changed(kg)
    db = fresh_graph()
    push(other, db)                         # an earlier build: one id and one edge differ
    report = push_tables(seeds_build / "tables", db, prune=True)
    assert counts(db) == (kg.graph.number_of_nodes(), kg.graph.number_of_edges())
    assert report.nodes_deleted == 1
    assert db.read("MATCH (n {id: $id}) RETURN n", {"id": gone + "_new"})[1] == []
    again = push_tables(seeds_build / "tables", db, prune=True)
    assert again.nodes_deleted == again.rels_deleted == 0
    assert sum(again.nodes_created.values()) == 0


def test_kg_push_reads_the_tables(seeds_build, falkordb_server, tmp_path):
    """The command takes the tables when they are as new as graph.json: a build without
    graph.json (a large Spark build) pushes too."""
    import shutil

    from kg.cli import main

    build = tmp_path / "b"
    shutil.copytree(seeds_build, build)
    (build / "graph.json").unlink()
    res = CliRunner().invoke(main, ["push", "--build", str(build), "--uri",
                                    f"{falkordb_server.uri}/tables-cli", "-q"])
    assert res.exit_code == 0, res.output
    db = falkordb_server.graph("tables-cli")
    kg = read_build(seeds_build)
    assert counts(db) == (kg.graph.number_of_nodes(), kg.graph.number_of_edges())
    db.delete()
