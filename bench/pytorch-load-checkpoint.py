#!/usr/bin/env python3
"""Loads jgrad checkpoints into the equivalent torch.nn.Sequential and compares outputs with jgrad's.

  bench/pytorch-load-checkpoint.sh            (writes the files with jgrad, then runs this)
  python3 bench/pytorch-load-checkpoint.py DIR

DIR holds model.safetensors and training.safetensors (jgrad checkpoints) and io.safetensors (x and
jgrad's output y). There is no `safetensors` package here, so the file is parsed by hand: 8-byte
little-endian header length, JSON header, raw little-endian data. The torch model is rebuilt from the
"architecture" metadata (jgrad's module tree) and loaded with load_state_dict(strict=True).
"""
import json, re, struct, sys
import torch

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}


def load_file(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    data = bytearray(blob[8 + n:])  # writable, so torch.frombuffer does not warn
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, t in header.items():
        begin, end = t["data_offsets"]
        dtype = DTYPES[t["dtype"]]
        count = (end - begin) // torch.tensor([], dtype=dtype).element_size()
        flat = torch.frombuffer(data, dtype=dtype, count=count, offset=begin) if count else torch.empty(0, dtype=dtype)
        tensors[name] = flat.clone().reshape(t["shape"])
    return tensors, meta


def build(architecture):
    """torch.nn.Sequential from jgrad's toString tree (the layers this bench uses)."""
    lines = architecture.splitlines()
    assert lines[0] == "Sequential(", lines[0]
    layers = []
    for line in lines[1:-1]:
        m = re.fullmatch(r"\s*\((\d+)\): (\w+)\((.*)\)", line)
        assert m and int(m.group(1)) == len(layers), line
        kind, args = m.group(2), m.group(3)
        kv = dict(a.split("=") for a in args.split(", ") if "=" in a)
        if kind == "Linear":
            layers.append(torch.nn.Linear(int(kv["in"]), int(kv["out"]), bias=kv["bias"] == "true"))
        elif kind == "BatchNorm1d":
            layers.append(torch.nn.BatchNorm1d(int(args.split(",")[0]), eps=float(kv["eps"]),
                                               momentum=float(kv["momentum"]), affine=kv["affine"] == "true"))
        elif kind in ("ReLU", "Tanh", "Sigmoid"):
            layers.append(getattr(torch.nn, kind)())
        else:
            raise SystemExit(f"unsupported layer {kind}")
    return torch.nn.Sequential(*layers)


def check(path, io):
    tensors, meta = load_file(path)
    print(f"{path}: format={meta.get('format')} jgrad.version={meta.get('jgrad.version')}")
    if "optimizer.optimizer" in meta:  # a training checkpoint: keep the weights, leave the optimizer state
        opt = {k: v for k, v in tensors.items() if k.startswith("optimizer.")}
        print(f"  optimizer {meta['optimizer.optimizer']}: {len(opt)} state tensors, lr={meta['optimizer.param_groups.0.lr']}")
        tensors = {k: v for k, v in tensors.items() if not k.startswith("optimizer.")}
    model = build(meta["architecture"]).eval()
    print("  " + str(model.load_state_dict(tensors, strict=True)))
    with torch.no_grad():
        y = model(io["x"])
    diff = (y - io["y"]).abs().max().item()
    print(f"  max |torch - jgrad| = {diff:.3g} over {y.numel()} outputs")
    return diff


def main(directory):
    torch.set_num_threads(1)
    io, _ = load_file(f"{directory}/io.safetensors")
    worst = max(check(f"{directory}/{name}.safetensors", io) for name in ("model", "training"))
    ok = worst <= 1e-5
    print("OK" if ok else "MISMATCH")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main(sys.argv[1])
