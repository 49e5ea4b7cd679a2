#!/usr/bin/python3
"""Checkpoint fixtures written by real torch, for TorchCheckpointReaderTorchFixturesTest and TorchReferenceImportTest.

Run from the repository root with Debian's torch (python3-torch 1.13, python3-torchvision 0.14):

    /usr/bin/python3 src/test/python/make_torch_fixtures.py            # the committed fixtures
    /usr/bin/python3 src/test/python/make_torch_fixtures.py --full DIR # full-size Swin-B / BERT-base, not committed

It writes under src/test/resources/fixtures/torch/ (each X.pth has its X.expected.safetensors beside it):

  swin-official.pth        a small torchvision Swin Transformer (embed 8, depths 2,2,2,1, heads 1,2,4,4, window 3),
                           its state dict renamed to the official microsoft/Swin-Transformer keys and saved as the
                           releases are: torch.save({"model": state_dict}) (an OrderedDict with _metadata)
  swin-torchvision.pth     the same weights under torchvision's own names, torch.save(model.state_dict())
  bert-hf/pytorch_model.bin      a small BERT with Hugging Face's BertForPreTraining names ("bert." prefix, pooler,
                                 cls heads, the decoder tied to the word embeddings, position_ids as an expanded view)
  bert-old/pytorch_model.bin     the same with LayerNorm.gamma/beta, as checkpoints before transformers 2.x name them
  training-checkpoint.pth  {"model", "optimizer" (AdamW after one step), "lr_scheduler", "epoch", "args"
                           (argparse.Namespace), "max_accuracy" (numpy.float64), "config" (a dict subclass with an
                           attribute, as the Swin code's yacs CfgNode)}
  whole-module.pth         torch.save(model) of an nn.Sequential(Linear, BatchNorm1d): the module objects pickled
  whole-module-legacy.pth  the same in the legacy format (module classes as ('module', ...) persistent ids)
  dtypes.pth               one tensor per storage dtype: float32, float16, bfloat16, float64, int64, int32, int16,
                           int8, uint8, bool, with edge values (inf, nan, -0.0, subnormals, integer limits)
  views.pth                views torch saves as they are: a transposed tensor, row and column slices (storage offsets),
                           a strided slice, an expanded tensor (stride 0), tensors sharing one storage, 0-d tensors,
                           an empty tensor, an nn.Parameter, a non-contiguous float16 view
  legacy.pth               dtypes + views saved with _use_new_zipfile_serialization=False (the pre-1.6 stream format)
  torch2-layout.pth        views.pth rewritten as torch 2.x lays out its zip (torch 2.x cannot be installed here):
                           archive name "archive", records .format_version, .storage_alignment, byteorder ("little"),
                           .data/version and .data/serialization_id added (serialization.py / inline_container.cc);
                           the pickle is torch 1.13's, unchanged
  big-endian.pth           views.pth with byteorder "big" and every storage byte-swapped, as torch 2.x writes on a
                           big-endian machine
  torchscript.pt           torch.jit.save of an nn.Linear: a zip with data.pkl too, but no weights file to import

`--shared` writes only the checkpoints as people share them, under shared/ (SharedCheckpointsTest):

  bert-sharded-bin/        bert-hf's state dict in two shards as transformers' save_pretrained(max_shard_size=...)
                           writes them: pytorch_model-00001-of-00002.bin, pytorch_model-00002-of-00002.bin (each a
                           torch.save of its part) and pytorch_model.bin.index.json ({"metadata": {"total_size"},
                           "weight_map": {name: shard}})
  bert-sharded-safetensors/ the same as model-0000N-of-00002.safetensors and model.safetensors.index.json, each shard
                           with a __metadata__ header ({"format": "pt"})
  with-metadata.safetensors a state dict with a __metadata__ header, as the safetensors library writes
  under-state_dict.pth, under-net.pth, under-module.pth   {KEY: state_dict, "epoch": 3} as training scripts save
  python2.pth              a state dict saved by torch's legacy stream in Python 2's forms (see python2_forms):
                           protocol 2, strings as py2 str (SHORT_BINSTRING/BINSTRING) with a latin-1 "caf\xe9" in a
                           side dict, __builtin__ and copy_reg for builtins and copyreg; Python 3 torch loads it only
                           with torch.load(f, encoding="latin1")
  half-missing.pth         bert-hf's state dict with every other encoder parameter left out

Every file comes out the same on every run except the legacy ones (storage keys are memory addresses) and
torchscript.pt.

X.expected.safetensors holds the tensors torch saved, by name, widened to F32 (floats) or I64 (integers and bool;
widening is exact except float64, rounded to nearest), and for the Swin/BERT files the reference network's inputs
and outputs under "reference.*". It is written by write_expected below (a few lines, no safetensors package), so the
Java tests compare our torch reader with values that went through neither of our readers' torch code.
"""
import argparse
import collections
import io
import json
import math
import os
import pickle
import struct
import sys
import zipfile

import numpy
import torch
import torch.nn as nn
import torch.nn.functional as F
try:
    from torchvision.models.swin_transformer import SwinTransformer
except ImportError:  # --shared needs only torch
    SwinTransformer = None

OUT = "src/test/resources/fixtures/torch"


def write_expected(path, tensors):
    """A safetensors file (8-byte header length, JSON header, data) of F32 / I64 tensors."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach()
        if t.dtype.is_floating_point:
            data, dtype = t.to(torch.float32).contiguous().numpy().astype("<f4").tobytes(), "F32"
        else:
            data, dtype = t.to(torch.int64).contiguous().numpy().astype("<i8").tobytes(), "I64"
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


# ---- Swin: torchvision's network, official names ----

def official_swin_name(name):
    """torchvision SwinTransformer key -> microsoft/Swin-Transformer key."""
    p = name.split(".")
    if p[0] != "features":
        return name  # norm.*, head.*
    i = int(p[1])
    if i == 0:
        return {"0": "patch_embed.proj", "2": "patch_embed.norm"}[p[2]] + "." + p[3]
    if i % 2 == 1:
        rest = ".".join(p[3:]).replace("mlp.0.", "mlp.fc1.").replace("mlp.3.", "mlp.fc2.")
        return "layers.%d.blocks.%s.%s" % ((i - 1) // 2, p[2], rest)
    return "layers.%d.downsample.%s" % ((i - 2) // 2, ".".join(p[2:]))


def official_state_dict(model):
    sd = model.state_dict()
    out = collections.OrderedDict()
    for k, v in sd.items():
        name = official_swin_name(k)
        if name.endswith("relative_position_index"):
            n = int(math.isqrt(v.numel()))
            v = v.view(n, n)  # official shape (W^2, W^2); torchvision keeps it flat
        out[name] = v
    out._metadata = sd._metadata  # what nn.Module.state_dict() attaches; torch.save pickles it with BUILD
    return out


def swin_stage_outputs(model, x):
    """The four stage outputs (B, C, H, W), each through a LayerNorm without affine (our norm0..norm3 at init)."""
    outs, h = [], x
    for i, f in enumerate(model.features):
        h = f(h)
        if i % 2 == 1:
            outs.append(F.layer_norm(h, (h.shape[-1],), eps=1e-5).permute(0, 3, 1, 2))
    return outs


def make_swin(out):
    torch.manual_seed(1)
    model = SwinTransformer(patch_size=[4, 4], embed_dim=8, depths=[2, 2, 2, 1], num_heads=[1, 2, 4, 4],
                            window_size=[3, 3], num_classes=10).eval()
    with torch.no_grad():  # away from the initial values, so that a misplaced norm or bias table shows
        for module in model.modules():
            if isinstance(module, nn.LayerNorm):
                module.weight.normal_(1.0, 0.5)
                module.bias.normal_(0.0, 0.5)
        for name, p in model.named_parameters():
            if "relative_position_bias_table" in name:
                p.normal_(0.0, 0.5)
    # 56 x 72: grids 14x18, 7x9, 4x5, 2x3, so windows are padded and the shifted blocks mask across the pad
    x = torch.randn(2, 3, 56, 72)
    with torch.no_grad():
        stages = swin_stage_outputs(model, x)
    official = official_state_dict(model)
    torch.save({"model": official}, os.path.join(out, "swin-official.pth"))
    torch.save(model.state_dict(), os.path.join(out, "swin-torchvision.pth"))
    expected = collections.OrderedDict(official)
    expected["reference.input"] = x
    for i, s in enumerate(stages):
        expected["reference.stage%d" % i] = s
    write_expected(os.path.join(out, "swin-official.expected.safetensors"), expected)


# ---- BERT: Hugging Face's BertForPreTraining names and formulas, in plain torch ----

class BertEmbeddings(nn.Module):
    def __init__(self, vocab, hidden, positions):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden, padding_idx=0)
        self.position_embeddings = nn.Embedding(positions, hidden)
        self.token_type_embeddings = nn.Embedding(2, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(0.1)
        self.register_buffer("position_ids", torch.arange(positions).expand((1, -1)))

    def forward(self, ids):
        n = ids.shape[1]
        token_types = torch.zeros_like(ids)
        e = self.word_embeddings(ids) + self.token_type_embeddings(token_types) \
            + self.position_embeddings(self.position_ids[:, :n])
        return self.dropout(self.LayerNorm(e))


class BertSelfAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.query, self.key, self.value = nn.Linear(hidden, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(0.1)

    def split(self, x):
        b, n, _ = x.shape
        return x.view(b, n, self.heads, self.head_dim).permute(0, 2, 1, 3)

    def forward(self, x, mask):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + mask
        probs = self.dropout(F.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(ctx.shape[0], ctx.shape[1], -1)


class DenseResidualNorm(nn.Module):
    """HF's BertSelfOutput and BertOutput (the same formula): LayerNorm(dropout(dense(h)) + x)."""

    def __init__(self, inner, hidden):
        super().__init__()
        self.dense = nn.Linear(inner, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(0.1)

    def forward(self, h, x):
        return self.LayerNorm(self.dropout(self.dense(h)) + x)


class BertAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.self = BertSelfAttention(hidden, heads)
        self.output = DenseResidualNorm(hidden, hidden)

    def forward(self, x, mask):
        return self.output(self.self(x, mask), x)


class BertIntermediate(nn.Module):
    def __init__(self, hidden, inner):
        super().__init__()
        self.dense = nn.Linear(hidden, inner)

    def forward(self, x):
        return F.gelu(self.dense(x))  # erf GELU, HF's "gelu"


class BertLayer(nn.Module):
    def __init__(self, hidden, heads, inner):
        super().__init__()
        self.attention = BertAttention(hidden, heads)
        self.intermediate = BertIntermediate(hidden, inner)
        self.output = DenseResidualNorm(inner, hidden)

    def forward(self, x, mask):
        a = self.attention(x, mask)
        return self.output(self.intermediate(a), a)


class BertEncoder(nn.Module):
    def __init__(self, hidden, heads, inner, layers):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer(hidden, heads, inner) for _ in range(layers)])

    def forward(self, x, mask):
        for layer in self.layer:
            x = layer(x, mask)
        return x


class BertPooler(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.dense = nn.Linear(hidden, hidden)


class BertModel(nn.Module):
    def __init__(self, vocab, hidden, heads, inner, layers, positions):
        super().__init__()
        self.embeddings = BertEmbeddings(vocab, hidden, positions)
        self.encoder = BertEncoder(hidden, heads, inner, layers)
        self.pooler = BertPooler(hidden)

    def forward(self, ids, attention_mask):
        # HF get_extended_attention_mask: (1 - mask) * finfo.min, broadcast over heads and queries
        mask = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
        return self.encoder(self.embeddings(ids), mask)


class BertPredictionHeadTransform(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.dense = nn.Linear(hidden, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)


class BertLMPredictionHead(nn.Module):
    def __init__(self, hidden, vocab):
        super().__init__()
        self.transform = BertPredictionHeadTransform(hidden)
        self.decoder = nn.Linear(hidden, vocab, bias=False)
        self.bias = nn.Parameter(torch.zeros(vocab))
        self.decoder.bias = self.bias


class BertPreTrainingHeads(nn.Module):
    def __init__(self, hidden, vocab):
        super().__init__()
        self.predictions = BertLMPredictionHead(hidden, vocab)
        self.seq_relationship = nn.Linear(hidden, 2)


class BertForPreTraining(nn.Module):
    def __init__(self, vocab, hidden, heads, inner, layers, positions):
        super().__init__()
        self.bert = BertModel(vocab, hidden, heads, inner, layers, positions)
        self.cls = BertPreTrainingHeads(hidden, vocab)
        self.cls.predictions.decoder.weight = self.bert.embeddings.word_embeddings.weight  # tied, as HF ties them


def randomise_norms(model):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name:
                p.normal_(1.0 if name.endswith("weight") else 0.0, 0.3)


def old_layer_norm_names(sd):
    old = collections.OrderedDict((k.replace("LayerNorm.weight", "LayerNorm.gamma")
                                   .replace("LayerNorm.bias", "LayerNorm.beta"), v) for k, v in sd.items())
    old._metadata = sd._metadata
    return old


def make_bert(out):
    torch.manual_seed(2)
    vocab, hidden, heads, inner, layers, positions = 50, 16, 2, 32, 2, 24
    model = BertForPreTraining(vocab, hidden, heads, inner, layers, positions).eval()
    randomise_norms(model)
    ids = torch.randint(1, vocab, (2, 9))
    mask = torch.ones(2, 9, dtype=torch.int64)
    mask[1, 6:] = 0
    ids[1, 6:] = 0
    with torch.no_grad():
        hidden_states = model.bert(ids, mask)
    sd = model.state_dict()
    for d, state in (("bert-hf", sd), ("bert-old", old_layer_norm_names(sd))):
        os.makedirs(os.path.join(out, d), exist_ok=True)
        torch.save(state, os.path.join(out, d, "pytorch_model.bin"))
    expected = collections.OrderedDict(sd)
    expected["reference.ids"] = ids
    expected["reference.mask"] = mask
    expected["reference.hidden"] = hidden_states
    write_expected(os.path.join(out, "bert-hf.expected.safetensors"), expected)


# ---- a training run's checkpoint ----

class CfgNode(dict):
    """Stands for yacs.config.CfgNode, which the official Swin training code saves in its checkpoints."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["frozen"] = True


def make_training_checkpoint(out):
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(4, 3), nn.LayerNorm(3), nn.Linear(3, 2))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2)
    loss = model(torch.randn(5, 4)).square().mean()
    loss.backward()
    opt.step()
    sched.step()
    args = argparse.Namespace(lr=1e-3, batch_size=8, swin_type="base", window12=True, epochs=40)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "lr_scheduler": sched.state_dict(),
                "epoch": 3, "args": args, "max_accuracy": numpy.float64(0.625),
                "config": CfgNode(MODEL=CfgNode(TYPE="swin", DROP_PATH_RATE=0.3), TRAIN=CfgNode(EPOCHS=30))},
               os.path.join(out, "training-checkpoint.pth"))
    write_expected(os.path.join(out, "training-checkpoint.expected.safetensors"), model.state_dict())
    torch.manual_seed(8)
    whole = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    whole(torch.randn(4, 2))  # a training-mode step, so the running statistics are not their initial values
    torch.save(whole, os.path.join(out, "whole-module.pth"))
    torch.save(whole, os.path.join(out, "whole-module-legacy.pth"), _use_new_zipfile_serialization=False)
    write_expected(os.path.join(out, "whole-module.expected.safetensors"), whole.state_dict())


# ---- dtypes and views ----

def dtype_tensors():
    torch.manual_seed(4)
    special = torch.tensor([0.0, -0.0, 1.5, -2.25, float("inf"), float("-inf"), float("nan"), 1e-3])
    t = collections.OrderedDict()
    t["float32"] = torch.cat([special, torch.tensor([1e-40, 3.4e38]), torch.randn(2)]).view(3, 4)
    t["float16"] = torch.cat([special.half(), torch.tensor([6e-8, 65504.0], dtype=torch.float16),
                              torch.randn(2).half()]).view(2, 6)
    t["bfloat16"] = torch.cat([special.bfloat16(), torch.tensor([1e-39, 3e38], dtype=torch.bfloat16),
                               torch.randn(2).bfloat16()]).view(12)
    t["float64"] = torch.tensor([[0.1, -1e-300, 1e300], [math.pi, -0.0, 2.0 ** -149]], dtype=torch.float64)
    t["int64"] = torch.tensor([-2 ** 63, 2 ** 63 - 1, 0, -1, 5], dtype=torch.int64)
    t["int32"] = torch.tensor([[-2 ** 31, 2 ** 31 - 1], [-7, 9]], dtype=torch.int32)
    t["int16"] = torch.tensor([-2 ** 15, 2 ** 15 - 1, 3], dtype=torch.int16)
    t["int8"] = torch.tensor([-128, 127, -1], dtype=torch.int8)
    t["uint8"] = torch.tensor([0, 255, 128, 1], dtype=torch.uint8)
    t["bool"] = torch.tensor([[True, False, True]])
    return t


def view_tensors():
    torch.manual_seed(5)
    base = torch.randn(4, 6)
    half = torch.randn(3, 5).half()
    tied = torch.randn(5, 2)
    t = collections.OrderedDict()
    t["base"] = base
    t["transposed"] = base.t()                    # strides (1, 6)
    t["rows"] = base[1:3]                         # storage offset 6
    t["columns"] = base[:, 2:5]                   # offset 2, strides (6, 1)
    t["every_other"] = base[1:, ::2]              # offset 6, strides (6, 2)
    t["expanded"] = torch.arange(4.0).expand(3, 4)  # stride 0
    t["scalar"] = torch.tensor(3.5)
    t["scalar_int"] = torch.tensor(-7)
    t["empty"] = torch.zeros(0, 3)
    t["parameter"] = nn.Parameter(torch.randn(2, 3))
    t["tied_a"] = tied
    t["tied_b"] = tied                            # the same tensor twice: one storage record
    t["half_transposed"] = half.t()
    return t


def make_dtypes_and_views(out):
    dtypes, views = dtype_tensors(), view_tensors()
    torch.save(dtypes, os.path.join(out, "dtypes.pth"))
    write_expected(os.path.join(out, "dtypes.expected.safetensors"), dtypes)
    torch.save(views, os.path.join(out, "views.pth"))
    write_expected(os.path.join(out, "views.expected.safetensors"), views)
    both = collections.OrderedDict(list(dtypes.items()) + list(views.items()))
    torch.save(both, os.path.join(out, "legacy.pth"), _use_new_zipfile_serialization=False)
    write_expected(os.path.join(out, "legacy.expected.safetensors"), both)


# ---- torch 2.x zip layouts, made from a torch 1.13 zip ----

ELEMENT_SIZE = {"FloatStorage": 4, "HalfStorage": 2, "BFloat16Storage": 2, "DoubleStorage": 8, "LongStorage": 8,
                "IntStorage": 4, "ShortStorage": 2, "CharStorage": 1, "ByteStorage": 1, "BoolStorage": 1}


def storage_element_sizes(pkl):
    """Storage key -> element size, from the persistent ids in data.pkl (loaded without building tensors)."""
    sizes = {}

    class Ids(pickle.Unpickler):
        def find_class(self, module, name):
            if module == "torch" and name in ELEMENT_SIZE:
                return name
            if module == "collections" and name == "OrderedDict":
                return collections.OrderedDict
            return lambda *a: None

        def persistent_load(self, pid):
            sizes[pid[2]] = ELEMENT_SIZE[pid[1]]
            return None

    Ids(io.BytesIO(pkl)).load()
    return sizes


def rewrite_as_torch2(src, dst, byteorder):
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
        prefix = names[0].split("/")[0] + "/"
        records = {n[len(prefix):]: z.read(n) for n in names}
    sizes = storage_element_sizes(records["data.pkl"])
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as z:
        def put(name, data):  # one timestamp for every record, so that the file is the same on every run
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)

        put("archive/data.pkl", records["data.pkl"])
        put("archive/.format_version", b"1")
        put("archive/.storage_alignment", b"64")
        put("archive/byteorder", byteorder.encode())
        for name in sorted((n for n in records if n.startswith("data/")), key=lambda n: int(n[5:])):
            data = records[name]
            if byteorder == "big":
                width = sizes[name[5:]]
                data = numpy.frombuffer(data, dtype="<u%d" % width).byteswap().tobytes() if width > 1 else data
            put("archive/" + name, data)
        put("archive/.data/version", b"3\n")
        put("archive/.data/serialization_id", b"1234567890123456789012345678901234567890")


def make_torchscript(out):
    torch.manual_seed(7)
    torch.jit.save(torch.jit.script(nn.Linear(2, 3)), os.path.join(out, "torchscript.pt"))


def make_torch2_layouts(out):
    views = os.path.join(out, "views.pth")
    rewrite_as_torch2(views, os.path.join(out, "torch2-layout.pth"), "little")
    rewrite_as_torch2(views, os.path.join(out, "big-endian.pth"), "big")


# ---- checkpoints as people share them ----

def write_safetensors(path, tensors, metadata):
    """safetensors with a __metadata__ header, as the safetensors library writes it (F32 / I64 tensors)."""
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        t = t.detach()
        if t.dtype.is_floating_point:
            data, dtype = t.to(torch.float32).contiguous().numpy().astype("<f4").tobytes(), "F32"
        else:
            data, dtype = t.to(torch.int64).contiguous().numpy().astype("<i8").tobytes(), "I64"
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def shard(sd, parts):
    """The state dict cut into consecutive parts, as save_pretrained's size-bounded shards are."""
    names = list(sd)
    size = math.ceil(len(names) / parts)
    return [collections.OrderedDict((n, sd[n]) for n in names[i * size:(i + 1) * size]) for i in range(parts)]


def write_index(path, shards, file_names):
    weight_map = {name: file for part, file in zip(shards, file_names) for name in part}
    total = sum(t.numel() * t.element_size() for part in shards for t in part.values())
    with open(path, "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2, sort_keys=True)


def python2_forms(stream):
    """One pickle rewritten as Python 2 wrote it: unicode strings become py2 str (SHORT_BINSTRING / BINSTRING of
    their latin-1 bytes), builtins and copyreg become __builtin__ and copy_reg. Memo indices are kept as written."""
    import pickletools
    out = io.BytesIO()
    renames = {"builtins": "__builtin__", "copyreg": "copy_reg"}
    for op, arg, pos in pickletools.genops(stream):
        if op.name in ("SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8"):
            data = arg.encode("latin-1")
            if len(data) < 256:
                out.write(b"U" + bytes([len(data)]) + data)
            else:
                out.write(b"T" + struct.pack("<i", len(data)) + data)
        elif op.name == "GLOBAL":
            module, name = arg.split(" ", 1)
            out.write(b"c" + renames.get(module, module).encode() + b"\n" + name.encode() + b"\n")
        elif op.name == "PROTO":
            out.write(b"\x80\x02")
        else:
            end = stream.tell()
            stream.seek(pos)
            out.write(stream.read(end - pos))
        if op.name == "STOP":
            break
    return out.getvalue()


def make_python2(path, sd):
    buffer = io.BytesIO()
    torch.save({"state_dict": sd, "args": {"arch": "bert", "note": "caf\xe9 \xb5m"}}, buffer,
               _use_new_zipfile_serialization=False, pickle_protocol=2)
    stream = io.BytesIO(buffer.getvalue())
    parts = [python2_forms(stream) for _ in range(5)]  # magic, protocol, sys_info, the object, the storage keys
    with open(path, "wb") as f:
        for p in parts:
            f.write(p)
        f.write(stream.read())  # the storages' raw bytes, unchanged
    loaded = torch.load(path, encoding="latin1")
    assert loaded["args"]["note"] == "caf\xe9 \xb5m"
    assert all(torch.equal(loaded["state_dict"][k], v) for k, v in sd.items())


def make_shared(out):
    out = os.path.join(out, "shared")
    os.makedirs(out, exist_ok=True)
    sd = torch.load(os.path.join(OUT, "bert-hf", "pytorch_model.bin"))
    sd = collections.OrderedDict((k, v.clone().contiguous()) for k, v in sd.items())  # untied, unexpanded copies
    vocab = os.path.join(OUT, "..", "bert-mini", "vocab.txt")

    folder = os.path.join(out, "bert-sharded-bin")
    os.makedirs(folder, exist_ok=True)
    parts = shard(sd, 2)
    names = ["pytorch_model-%05d-of-%05d.bin" % (i + 1, len(parts)) for i in range(len(parts))]
    for part, name in zip(parts, names):
        torch.save(part, os.path.join(folder, name))
    write_index(os.path.join(folder, "pytorch_model.bin.index.json"), parts, names)

    folder = os.path.join(out, "bert-sharded-safetensors")
    os.makedirs(folder, exist_ok=True)
    names = ["model-%05d-of-%05d.safetensors" % (i + 1, len(parts)) for i in range(len(parts))]
    for part, name in zip(parts, names):
        write_safetensors(os.path.join(folder, name), part, {"format": "pt"})
    write_index(os.path.join(folder, "model.safetensors.index.json"), parts, names)

    write_safetensors(os.path.join(out, "with-metadata.safetensors"), sd,
                      {"format": "pt", "source": "bert-hf", "note": "metadata as the safetensors library writes it"})
    for key in ("state_dict", "net", "module"):
        torch.save({key: sd, "epoch": 3}, os.path.join(out, "under-%s.pth" % key))
    make_python2(os.path.join(out, "python2.pth"), sd)
    encoder = [k for k in sd if ".encoder." in k]
    torch.save(collections.OrderedDict((k, v) for k, v in sd.items() if k not in encoder[::2]),
               os.path.join(out, "half-missing.pth"))
    write_expected(os.path.join(out, "bert.expected.safetensors"), sd)


# ---- full size, for timing (not committed) ----

def make_full(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(6)
    swin_b = SwinTransformer(patch_size=[4, 4], embed_dim=128, depths=[2, 2, 18, 2], num_heads=[4, 8, 16, 32],
                             window_size=[12, 12], num_classes=21841)
    torch.save({"model": official_state_dict(swin_b)}, os.path.join(out, "swin_base_patch4_window12_384_22k.pth"))
    del swin_b
    bert = BertForPreTraining(30522, 768, 12, 3072, 12, 512)
    os.makedirs(os.path.join(out, "bert-base-uncased"), exist_ok=True)
    torch.save(bert.state_dict(), os.path.join(out, "bert-base-uncased", "pytorch_model.bin"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--shared", action="store_true", help="write only the shared/ checkpoints (from bert-hf)")
    parser.add_argument("--full", help="write full-size Swin-B and BERT-base checkpoints into this folder instead")
    a = parser.parse_args()
    if a.full:
        make_full(a.full)
        return
    if a.shared:
        make_shared(a.out)
        return
    os.makedirs(a.out, exist_ok=True)
    make_swin(a.out)
    make_bert(a.out)
    make_training_checkpoint(a.out)
    make_dtypes_and_views(a.out)
    make_torch2_layouts(a.out)
    make_torchscript(a.out)
    print("torch", torch.__version__, "wrote", sorted(os.listdir(a.out)), file=sys.stderr)


if __name__ == "__main__":
    main()
