"""The knowledge-graph core, the lowest layer: the typed model of a plan (``kg.model``), the plan
parser (``kg.parse``), entity linking (``kg.extract``), RDF graphs (``kg.rdf``) and the store
(``kg.store``). Nothing here imports ``search``, ``api`` or ``policykg``."""
