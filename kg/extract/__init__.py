"""Entity linking over a parsed plan: the lexicon of the curated vocabularies, name patterns for
unseen bodies and places, numeric targets."""

from kg.extract.lexicon import Lexicon, lexicon_from_graph, load_lexicon
from kg.extract.linking import extract

__all__ = ["Lexicon", "extract", "lexicon_from_graph", "load_lexicon"]
