// The leadership of a jurisdiction over time: every leadership post of the district or county (ranked 70 or above on the government ladder: deputy head and up), highest grade first, with its holders in order of first sighting (undated holders last), the organization, first and last dates and the number of articles with and without a date.
// @param jurisdiction '二七区'  the district or county the posts are of (the Post's jurisdiction), e.g. 二七区
//
// Mirrors post_timeline.rq: the Posts' level, rank and grade (kg build computes them as the
// career tables do); holders in kgo:holderOrder's order (first sighting, last sighting, name,
// id); a row for each organization of the post (POST_IN).
MATCH (po:Post {jurisdiction: $jurisdiction})
WHERE po.rank >= 70 AND NOT po.level IN ['company', 'institution']
MATCH (p:Person)-[h:HOLDS]->(po)
OPTIONAL MATCH (po)-[:POST_IN]->(o)
WITH po, p, o.label AS organization, toString(h.first_seen) AS first_seen,
     toString(h.last_seen) AS last_seen, h.dated_sightings AS dated, h.undated_sightings AS undated
RETURN po.label AS post, organization, p.label AS holder, first_seen, last_seen, dated, undated
ORDER BY po.grade DESC, post, po.id, CASE WHEN first_seen IS NULL THEN 1 ELSE 0 END, first_seen,
         last_seen, holder, p.id, CASE WHEN organization IS NULL THEN 0 ELSE 1 END, organization
