"""The link graph as a consumer sees it: statistics, PageRank, and exports (JSON, GraphML,
GEXF, DOT, Mermaid)."""
