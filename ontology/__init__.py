"""The ontology, SHACL shapes and curated vocabularies, shipped as package data so an installed
PolicyKG carries them. ``ONTOLOGY_DIR`` is where they lie."""

from pathlib import Path

ONTOLOGY_DIR = Path(__file__).resolve().parent

__all__ = ["ONTOLOGY_DIR"]
