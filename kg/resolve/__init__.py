"""Entity resolution and assembly: printed forms in many articles → one node per real thing,
and the records of every document → the graph's nodes and edges with their evidence.

Rules, each recorded as a :class:`Merge` with its reason so a user can see why two mentions
became one node:

* persons are keyed on name **and** the page's district (二七区): two officials who share a
  name on pages of different districts stay apart; a page that does not say its district
  joins the one same-name person of a known district, if there is exactly one;
* posts are keyed on the title without the page's own place name (二七区委书记 ~ 区委书记)
  and the district; a title with no government body in it (董事长, 总经理) is a post of
  that person only, since the company is not known;
* organizations, projects and places are keyed on a core form: the page's place name, a
  company's legal suffix (有限公司) and a trailing 项目 dropped. A short form that spells a
  longer one in order (郑机所 ~ 郑州机械研究所有限公司, 区新城中心 ~ 区新型城镇化建设中心) or, for
  projects and places, that is contained in it, joins it when exactly one candidate fits;
* 樊书记-style references join the one person of that surname holding that post in the same
  article, else on the same page, else in the district;
* an event with a full date is keyed on (district, name, date), so the same meeting reported
  twice is one node; otherwise it belongs to its article.

Ids are hashes of these keys, never of run order (:func:`make_id`).

Modules: :mod:`~kg.resolve.keys` (keys and ids), :mod:`~kg.resolve.clusters` (mentions and the
merge rules), :mod:`~kg.resolve.assemble` (records → nodes and edges), :mod:`~kg.resolve.identity`
(namesakes and careers, decided on the assembled graph).
"""
from kg.resolve.clusters import Cluster, Lookup, Resolved, Resolver, mentions
from kg.resolve.keys import (COMPANY_END, article_id, entity_key, is_abbreviation, is_full_date,
                             make_id, party_department, person_scopes, post_body, post_key,
                             post_parts, shown_title)

__all__ = ["COMPANY_END", "Cluster", "Lookup", "Resolved", "Resolver", "article_id", "entity_key",
           "is_abbreviation", "is_full_date", "make_id", "mentions", "party_department",
           "person_scopes", "post_body", "post_key", "post_parts", "shown_title"]
