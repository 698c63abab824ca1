// Nvidia's web: where Nvidia's money goes, and on from there, within three hops, drawn as a
// graph (every commitment, whatever its status; 05 and the API say which ones count).
// Each commitment once; the table view lists them.
MATCH p = (:Entity {id: 'nvidia'})-[:INVESTS_IN|HOLDS_WARRANT_IN|LENDS_TO|BACKSTOPS|BUYS_COMPUTE_FROM|BUYS_CLOUD_FROM|BUYS_CHIPS_FROM|COMMITS_TO*..3]->(:Entity)
UNWIND relationships(p) AS r
WITH DISTINCT r
RETURN startNode(r) AS payer, r AS commitment, endNode(r) AS recipient;
