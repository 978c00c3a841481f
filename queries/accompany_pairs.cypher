// Who accompanies whom: pairs of a leader, who led, inspected or chaired an event, and a person who accompanied it (陪同), with the number of such events they shared; most frequent pairs first, then in name order. The first 500 pairs.
// @param min 1  the least number of shared events a pair must have
//
// Mirrors accompany_pairs.rq: ties in name order, then by the ids of the pair (two persons
// with the same name are told apart by their ids).
MATCH (a:Person)-[:LED|INSPECTED|CHAIRED]->(e:Event)<-[:ACCOMPANIED]-(b:Person)
WHERE a <> b
WITH a, b, count(DISTINCT e) AS events
WHERE events >= $min
RETURN a.label AS leader, b.label AS companion, events
ORDER BY events DESC, leader, companion, a.id, b.id
LIMIT 500
