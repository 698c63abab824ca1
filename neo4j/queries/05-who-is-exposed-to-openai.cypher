// Who is exposed to OpenAI on $as_of: its sellers (cloud, compute, chips), which hold
// receivables from it, and its investors and lenders, which hold stakes in it; only
// commitments that count on that date, with their status then (:param as_of => date(...)).
MATCH (openai:Entity {id: 'openai'})-[r]-(other:Entity)
WHERE r.doc IS NOT NULL AND r.announced <= $as_of
  AND ((startNode(r) = openai AND r.kind IN ['compute_purchase', 'cloud_contract', 'chip_supply', 'other'])
       OR (endNode(r) = openai AND r.kind IN ['equity_investment', 'warrant', 'loan', 'backstop']))
WITH other, r, r.status_values[size([d IN r.status_dates WHERE d <= $as_of]) - 1] AS status
WHERE status IN ['announced', 'signed', 'active']
   OR (status = 'completed' AND r.kind IN ['equity_investment', 'warrant', 'loan'])
RETURN other.name AS exposed, type(r) AS how, status AS status_then,
       round(r.usd_point / 1e9, 1) AS usd_billions, r.up_to AS up_to, r.binding AS binding
ORDER BY usd_billions DESC, exposed;
