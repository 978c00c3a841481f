// The events that concern (or visited) a project: the project's name, each event with its type, date (dated events first) and the page it was reported on; the parameter is matched as a substring of the project's name or of a name it is also printed under (aliases), so 花花牛 finds 花花牛智能科技产业园. The first 500 events.
// @param project '花花牛'  part of the project's name
//
// Mirrors project_events.rq: projects in name order (then id), each one's events in date
// order (dated first, then --MM-DD, then undated; then name, type and id), the first 500, a
// row for each page that reported one. link is the relationship: concerns (CONCERNS) or
// visited (VISITED).
MATCH (prj:Project)
WHERE prj.label CONTAINS $project OR any(alias IN coalesce(prj.aliases, []) WHERE alias CONTAINS $project)
MATCH (e)-[r:CONCERNS|VISITED]->(prj)
WHERE e.event_type IS NOT NULL
WITH prj, e, toLower(type(r)) AS link, toString(coalesce(e.date, e.date_text)) AS d
WITH prj, e, link,
     CASE WHEN d STARTS WITH '--' OR (size(d) = 10 AND substring(d, 4, 1) = '-') THEN d END AS date,
     CASE WHEN d STARTS WITH '--' THEN 1 WHEN size(d) = 10 AND substring(d, 4, 1) = '-' THEN 0
          ELSE 2 END AS dated
ORDER BY prj.label, prj.id, dated, date, e.label, e.event_type, e.id, link
LIMIT 500
OPTIONAL MATCH (art:Article)-[:REPORTS]->(e)
RETURN prj.label AS name, date, e.label AS event, e.event_type AS type, link, art.doc AS file
ORDER BY name, prj.id, dated, date, event, type, e.id, link, CASE WHEN file IS NULL THEN 0 ELSE 1 END, file
