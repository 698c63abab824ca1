// Who is exposed to OpenAI: its sellers (cloud, compute, chips) and its investors.
MATCH (openai:Entity {id: 'openai'})-[r]-(other:Entity)
WHERE r.doc IS NOT NULL
  AND ((startNode(r) = openai AND r.kind IN ['compute_purchase', 'cloud_contract', 'chip_supply', 'other'])
       OR (endNode(r) = openai AND r.kind IN ['equity_investment', 'warrant', 'loan', 'backstop']))
RETURN other.name AS exposed, type(r) AS how, r.status AS status_today,
       round(r.usd_point / 1e9, 1) AS usd_billions, r.up_to AS up_to, r.binding AS binding
ORDER BY usd_billions DESC;
