#!/usr/bin/env python3
"""Writes the embedded Fashion-MNIST sample: the first 6,000 training and first 1,000 test images and
labels, as IDX files compressed with gzip, from the full data set (Debian's dataset-fashion-mnist
installs it in /usr/share/datasets/fashion-mnist). The output is byte-for-byte reproducible (gzip
header time 0, no file name), so running it again leaves git with nothing to commit.

    python3 jgrad-datasets/make-sample.py [SOURCE_DIR]
"""
import collections
import gzip
import os
import struct
import sys

SOURCE = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "src/main/resources/org/jgrad/datasets/fashion-mnist-sample")
SPLITS = [("train", 6000), ("t10k", 1000)]


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return dims, data[4 + 4 * rank:]


def write_idx(path, dims, payload):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + struct.pack(">" + "I" * len(dims), *dims)
    with open(path, "wb") as raw:
        # mtime=0 and no file name in the header: the same input gives the same bytes.
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as f:
            f.write(header + payload)


def main():
    os.makedirs(OUT, exist_ok=True)
    for split, n in SPLITS:
        image_dims, images = read_idx(os.path.join(SOURCE, f"{split}-images-idx3-ubyte.gz"))
        label_dims, labels = read_idx(os.path.join(SOURCE, f"{split}-labels-idx1-ubyte.gz"))
        rows, cols = image_dims[1], image_dims[2]
        write_idx(os.path.join(OUT, f"{split}-images-idx3-ubyte.gz"), (n, rows, cols), images[:n * rows * cols])
        write_idx(os.path.join(OUT, f"{split}-labels-idx1-ubyte.gz"), (n,), labels[:n])
        counts = collections.Counter(labels[:n])
        print(f"{split}: {n} images; per class " + " ".join(f"{k}:{counts[k]}" for k in range(10)))


if __name__ == "__main__":
    main()
