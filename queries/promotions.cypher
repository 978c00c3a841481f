// Promotions, as kg careers --promotions defines them: a person's first sighting in a post whose grade is above every post of the same ladder (government; company; institution) they were seen in before; posts first seen on the same day count once, as the highest of them. Each row: the person, the highest earlier post of that ladder (from) and the new post (to), with grades and dates. An empty jurisdiction gives every jurisdiction's.
// @param jurisdiction '二七区'  the district or county of the new post (the Post's jurisdiction); empty for all
//
// Mirrors promotions.rq: a person's ranked posts with a dated sighting are collected once, then
// each post that is the highest of its day on its ladder is compared with the highest post of
// that ladder seen before it (of equal grades: the latest seen, then the first seen, then the
// first in name order). A post's fields are projected to variables in a WITH of their own
// before a WHERE compares lists with them: FalkorDB 4 filters wrongly otherwise.
MATCH (p:Person)-[h:HOLDS]->(po:Post)
WHERE po.grade IS NOT NULL AND h.first_seen IS NOT NULL
WITH p, collect({post: po.label, grade: po.grade, jurisdiction: po.jurisdiction,
                 first: toString(h.first_seen), last: toString(h.last_seen),
                 ladder: CASE WHEN po.level IN ['company', 'institution'] THEN po.level
                              ELSE 'government' END}) AS posts
UNWIND posts AS t
WITH p, posts, t.post AS to_post, t.grade AS to_grade, t.first AS to_first_seen,
     t.ladder AS ladder, t.jurisdiction AS to_jurisdiction
WITH p, posts, to_post, to_grade, to_first_seen, ladder, to_jurisdiction
WHERE ($jurisdiction = '' OR to_jurisdiction = $jurisdiction)
  AND none(x IN posts WHERE x.first = to_first_seen AND x.ladder = ladder
           AND (x.grade > to_grade OR (x.grade = to_grade AND x.post < to_post)))
WITH p, to_post, to_grade, to_first_seen,
     [x IN posts WHERE x.first < to_first_seen AND x.ladder = ladder] AS before
UNWIND before AS f
WITH p, to_post, to_grade, to_first_seen, before, f.post AS from_post, f.grade AS from_grade,
     f.first AS from_first_seen, f.last AS from_last_seen
WITH p, to_post, to_grade, to_first_seen, before, from_post, from_grade, from_first_seen,
     from_last_seen
WHERE to_grade > from_grade
  AND none(y IN before WHERE y.grade > from_grade
           OR (y.grade = from_grade AND (y.last > from_last_seen
               OR (y.last = from_last_seen AND (y.first < from_first_seen
                   OR (y.first = from_first_seen AND y.post < from_post))))))
RETURN p.label AS person, from_post, from_grade, from_first_seen, from_last_seen, to_post,
       to_grade, to_first_seen
ORDER BY person, p.id, to_first_seen, to_post, from_post
