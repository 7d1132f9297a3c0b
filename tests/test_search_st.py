"""The sentence-transformers path, proven offline: a tiny BERT with a vocabulary made from the
plans' own characters plus a mean-pooling module, saved as a sentence-transformers folder,
is the model of a real `policykg build` and search (POLICYKG_MODEL=that folder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policykg.cli import app
from tests.conftest import ROOT


def tiny_model(folder: Path, corpus: str) -> Path:
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    torch.manual_seed(0)
    characters = sorted({c for c in corpus if not c.isspace()})
    (folder / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *characters]), "utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), tokenize_chinese_chars=True)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=256)
    bert = folder / "bert"
    BertModel(config).save_pretrained(bert)
    tokenizer.save_pretrained(bert)
    transformer = models.Transformer(str(bert), max_seq_length=128)
    pooling = models.Pooling(transformer.get_word_embedding_dimension(), pooling_mode="mean")
    model_folder = folder / "tiny-st"
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(model_folder))
    return model_folder


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::UserWarning")
def test_build_and_search_with_a_sentence_transformers_folder(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    seed = next((ROOT / "seeds").glob("*.txt"))
    model = tiny_model(tmp_path, seed.read_text("utf-8"))
    monkeypatch.setenv("POLICYKG_MODEL", str(model))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    data = tmp_path / "data"
    runner = CliRunner()
    result = runner.invoke(app, ["build", "--seeds", str(seed.parent), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    manifest = json.loads(next((data / "builds").glob("*/index/manifest.json")).read_text("utf-8"))
    assert manifest["model"] == f"st:{model}" and manifest["dimension"] == 32
    result = runner.invoke(app, ["search", "外国人才", "-k", "5", "--json", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    response = json.loads(result.stdout)
    hits = response["results"] + response["weaker"]
    assert hits and any("dense" in hit["why"]["legs"] for hit in hits)
    assert {"52", "53", "54"} & {hit["id"] for hit in hits}
