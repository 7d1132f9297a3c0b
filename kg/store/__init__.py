"""The store: build folders and the embedded Oxigraph store, query backends, SPARQL execution and
result serialisation, canned queries (``canned/*.rq``) and graph analytics."""
