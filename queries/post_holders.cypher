// Who held a post over time: every person seen with the post, its organization, the first and last dates they were seen with it, in how many articles with a date (dated) and in how many without one (undated); in order of first sighting, undated holders last. The first 500 holders.
// @param post '区委书记'  the post's title as printed on the pages (the Post's label), e.g. 区长
//
// Mirrors post_holders.rq: the first 500 HOLDS relationships in order of first sighting,
// then last sighting, the person's name and id, and the post's id (kgo:holderOrder); a row for
// each organization of the post (POST_IN); dated and undated are HOLDS.dated_sightings and
// HOLDS.undated_sightings.
MATCH (p:Person)-[h:HOLDS]->(po:Post {label: $post})
WITH p, h, po, toString(h.first_seen) AS first_seen, toString(h.last_seen) AS last_seen
ORDER BY CASE WHEN first_seen IS NULL THEN 1 ELSE 0 END, first_seen, last_seen, p.label, p.id, po.id
LIMIT 500
OPTIONAL MATCH (po)-[:POST_IN]->(o)
WITH p, po, o.label AS organization, first_seen, last_seen,
     h.dated_sightings AS dated, h.undated_sightings AS undated
RETURN p.label AS person, organization, first_seen, last_seen, dated, undated
ORDER BY CASE WHEN first_seen IS NULL THEN 1 ELSE 0 END, first_seen, last_seen, person, p.id, po.id,
         CASE WHEN organization IS NULL THEN 0 ELSE 1 END, organization
