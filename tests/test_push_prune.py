"""``kg push --prune`` against a real FalkorDB: after pushing an earlier build, the database
holds exactly the new build (ids that changed, edges that went), and pushing it again changes
nothing."""
import networkx as nx

from kg.graph import KnowledgeGraph, read_build
from kg.graphdb import push


def counts(db):
    _, nodes = db.read("MATCH (n) RETURN count(n)")
    _, rels = db.read("MATCH ()-[r]->() RETURN count(r)")
    return nodes[0][0], rels[0][0]


def changed(kg: KnowledgeGraph) -> KnowledgeGraph:
    """The same graph with one person's id changed and one ATTENDED edge gone."""
    g = kg.graph.copy()
    person = sorted(n for n, d in g.nodes(data=True) if d["type"] == "Person")[0]
    g = nx.relabel_nodes(g, {person: person + "_new"}, copy=True)
    u, v, k = sorted(e for e in g.edges(keys=True) if e[2] == "ATTENDED")[0]
    g.remove_edge(u, v, key=k)
    return KnowledgeGraph(g), person


def test_prune_leaves_exactly_the_new_build(seeds_build, falkordb_server):
    old = read_build(seeds_build)
    new, gone = changed(old)
    db = falkordb_server.graph("prune-a")
    push(old, db)
    assert counts(db) == (old.graph.number_of_nodes(), old.graph.number_of_edges())

    report = push(new, db, prune=True)
    assert counts(db) == (new.graph.number_of_nodes(), new.graph.number_of_edges())
    assert report.nodes_deleted == 1
    stale = set(old.graph.edges(keys=True)) - set(new.graph.edges(keys=True))
    assert report.rels_deleted == len(stale)          # the dropped edge and the old node's
    assert db.read("MATCH (n {id: $id}) RETURN n", {"id": gone})[1] == []
    assert db.read("MATCH (n {id: $id}) RETURN n.name", {"id": gone + "_new"})[1] != []

    again = push(new, db, prune=True)
    assert sum(again.nodes_created.values()) == sum(again.rels_created.values()) == 0
    assert again.nodes_deleted == again.rels_deleted == 0
    assert counts(db) == (new.graph.number_of_nodes(), new.graph.number_of_edges())


def test_prune_in_small_batches_deletes_everything_stale(seeds_build, falkordb_server):
    old = read_build(seeds_build)
    db = falkordb_server.graph("prune-b")
    push(old, db)
    empty = KnowledgeGraph(nx.MultiDiGraph())
    report = push(empty, db, prune=True, batch_size=7)
    assert report.nodes_deleted == old.graph.number_of_nodes()
    assert counts(db) == (0, 0)


def test_without_prune_a_push_only_adds(seeds_build, falkordb_server):
    old = read_build(seeds_build)
    new, gone = changed(old)
    db = falkordb_server.graph("prune-c")
    push(old, db)
    push(new, db)
    assert db.read("MATCH (n {id: $id}) RETURN count(n)", {"id": gone})[1] == [[1]]
