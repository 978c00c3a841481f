// Pairs of persons who took part in the same events (in any role), with how many events they shared; each pair once (in name order), most frequent pairs first.
// @param min 2  the least number of shared events a pair must have
//
// Mirrors co_attendance.rq: the first 100, ties in name order, then by the ids of the pair. Two persons with the same name are told apart by their ids.
MATCH (a:Person)-[:CHAIRED|ATTENDED|SPOKE_AT|LED|INSPECTED|ACCOMPANIED|REPORTED_AT|MET|SIGNED]->(e:Event)
      <-[:CHAIRED|ATTENDED|SPOKE_AT|LED|INSPECTED|ACCOMPANIED|REPORTED_AT|MET|SIGNED]-(b:Person)
WHERE a.label < b.label OR (a.label = b.label AND a.id < b.id)
WITH a, b, count(DISTINCT e) AS events
WHERE events >= $min
WITH a, b, events
ORDER BY events DESC, a.label, b.label, a.id, b.id
LIMIT 100
RETURN a.label AS person1, b.label AS person2, events
