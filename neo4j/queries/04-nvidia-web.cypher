// Nvidia's web: everything within three hops of Nvidia, drawn as a graph.
MATCH p = (:Entity {id: 'nvidia'})-[*..3]-(:Entity)
RETURN p
LIMIT 300;
