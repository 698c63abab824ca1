// Circular financing: money that flows round and comes back, up to four hops, through
// commitments that count on $as_of (:param as_of => date('2026-01-29')).
// The loop the source article describes: Nvidia -> OpenAI -> CoreWeave -> Nvidia.
MATCH p = (start:Entity)-[rels*2..4]->(start)
WHERE all(r IN rels WHERE r.doc IS NOT NULL AND r.announced <= $as_of
          AND r.status_values[[i IN range(0, size(r.status_dates) - 1)
                               WHERE r.status_dates[i] <= $as_of][-1]]
              IN ['announced', 'signed', 'active', 'completed'])
  AND start.id = head([n IN nodes(p) | n.id])
  AND all(n IN nodes(p)[1..-1] WHERE n.id > start.id)
RETURN p,
       [n IN nodes(p) | n.name] AS loop,
       reduce(m = 1e15, r IN rels | CASE WHEN r.usd_point < m THEN r.usd_point ELSE m END)
         / 1e9 AS round_trip_billions
ORDER BY round_trip_billions DESC
LIMIT 25;
