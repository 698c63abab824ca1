// Who is exposed to OpenAI on $as_of: its sellers (cloud, compute, chips), which hold
// receivables from it, and its investors and lenders, which hold stakes in it; only
// commitments that count on that date (counts_from/counts_until hold the as_of rule),
// each as it counts (a round only for its remainder beyond its named parts); n/d rows
// (no disclosed figure) last. :param as_of => date('2026-01-29')
MATCH (openai:Entity {id: 'openai'})-[r]-(other:Entity)
WHERE any(i IN range(0, size(coalesce(r.counts_from, [])) - 1)
          WHERE r.counts_from[i] <= $as_of AND $as_of < r.counts_until[i])
  AND ((startNode(r) = openai AND r.kind IN ['compute_purchase', 'cloud_contract', 'chip_supply', 'other'])
       OR (endNode(r) = openai AND r.kind IN ['equity_investment', 'warrant', 'loan', 'backstop']))
CALL (r) {
  OPTIONAL MATCH ()-[p {part_of: r.id}]->()
  WITH p WHERE any(i IN range(0, size(coalesce(p.counts_from, [])) - 1)
                   WHERE p.counts_from[i] <= $as_of AND $as_of < p.counts_until[i])
  RETURN coalesce(sum(p.usd_point), 0.0) AS parts
}
CALL (r) {
  UNWIND range(0, size(coalesce(r.overlap_ids, [])) - 1) AS i
  MATCH ()-[q {id: r.overlap_ids[i]}]->()
  WHERE any(j IN range(0, size(coalesce(q.counts_from, [])) - 1)
            WHERE q.counts_from[j] <= $as_of AND $as_of < q.counts_until[j])
  RETURN coalesce(sum(r.overlap_usd[i]), 0.0) AS shared
}
WITH other, r, CASE WHEN r.usd_point - parts < 0 THEN 0.0 ELSE r.usd_point - parts END - shared AS net
RETURN other.name AS exposed, type(r) AS how, r.id AS commitment,
       r.status_values[size([d IN r.status_dates WHERE d <= $as_of]) - 1] AS status_then,
       round(CASE WHEN net < 0 THEN 0.0 ELSE net END / 1e9, 1) AS usd_billions,
       r.up_to AS up_to, r.binding AS binding
ORDER BY usd_billions IS NULL, usd_billions DESC, exposed;
