"""RDF: the vocabulary mirror of ontology/policykg.ttl, IRIs, each plan's graph, SHACL validation
and export."""
