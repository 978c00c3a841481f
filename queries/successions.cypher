// Who held a post of a jurisdiction, one after another: its holders in order of first sighting (undated holders last), numbered 1, 2, … as in the successions table of kg careers, with their first and last dates and the number of articles with and without a date.
// @param post '区委书记'  the post's title as printed on the pages (the Post's label), e.g. 区长
// @param jurisdiction '二七区'  the district or county the post is of (the Post's jurisdiction)
//
// Mirrors successions.rq: holders in kgo:holderOrder's order (first sighting, last sighting,
// name, id), numbered from 1.
MATCH (p:Person)-[h:HOLDS]->(po:Post {label: $post, jurisdiction: $jurisdiction})
WITH p, h, po, toString(h.first_seen) AS first_seen, toString(h.last_seen) AS last_seen
ORDER BY CASE WHEN first_seen IS NULL THEN 1 ELSE 0 END, first_seen, last_seen, p.label, p.id
WITH po, collect({person: p.label, first_seen: first_seen, last_seen: last_seen,
                  dated: h.dated_sightings, undated: h.undated_sightings}) AS holders
UNWIND range(1, size(holders)) AS n
WITH n, holders[n - 1] AS x
RETURN n AS `order`, x.person AS person, x.first_seen AS first_seen, x.last_seen AS last_seen,
       x.dated AS dated, x.undated AS undated
ORDER BY `order`
