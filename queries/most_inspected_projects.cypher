// Projects ranked by the number of inspections (调研, 视察, 督导: events of type inspection) that concern or visited them, with the number of persons who took part in those inspections and the number of events of any type about the project.
// @param min 1  the least number of inspections a project must have
//
// Mirrors most_inspected_projects.rq (the first 100, ties in name order, then id); each count in its own step, so they do not multiply.
MATCH (prj:Project)<-[:CONCERNS|VISITED]-(i)
WHERE i.event_type = 'inspection'
WITH prj, count(DISTINCT i) AS inspections
WHERE inspections >= $min
OPTIONAL MATCH (prj)<-[:CONCERNS|VISITED]-(j)<-[:CHAIRED|ATTENDED|SPOKE_AT|LED|INSPECTED|ACCOMPANIED|REPORTED_AT|MET|SIGNED]-(person)
WHERE j.event_type = 'inspection'
WITH prj, inspections, count(DISTINCT person) AS persons
MATCH (prj)<-[:CONCERNS|VISITED]-(ev)
WITH prj, inspections, persons, count(DISTINCT ev) AS all_events
ORDER BY inspections DESC, persons DESC, all_events DESC, prj.label, prj.id
LIMIT 100
RETURN prj.label AS project, inspections, persons, all_events
