"""Writes the small valid RRSIS-D and RefSegRS folders that ReaderFuzzTest mutates, with Python's own pickle, json
and PIL (the tools the released datasets were made with), so the fuzzing starts from files our writers did not make.

Run with /usr/bin/python3 (PIL, numpy): python3 src/test/python/make_reader_fuzz_fixtures.py
Output: src/test/resources/fixtures/fuzz/{rrsisd,refsegrs}/
"""
import json
import os
import pickle

import numpy as np
from PIL import Image

ROOT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "fuzz")


def rle_counts(mask):
    """Column-major run lengths, background first (pycocotools' encode)."""
    flat = mask.flatten(order="F")
    counts, current, run = [], 0, 0
    for p in flat:
        if p != current:
            counts.append(run)
            run, current = 0, p
        run += 1
    counts.append(run)
    return counts


def rle_string(counts):
    """maskApi.c rleToString."""
    out = []
    for i, x in enumerate(counts):
        if i > 2:
            x -= counts[i - 2]
        more = True
        while more:
            c = x & 0x1F
            x >>= 5
            more = (x != -1) if (c & 0x10) else (x != 0)
            if more:
                c |= 0x20
            out.append(chr(c + 48))
    return "".join(out)


def rrsisd():
    root = os.path.join(ROOT, "rrsisd")
    images_dir = os.path.join(root, "images", "rrsisd", "JPEGImages")
    os.makedirs(images_dir, exist_ok=True)
    os.makedirs(os.path.join(root, "rrsisd"), exist_ok=True)
    rng = np.random.default_rng(3)
    images, annotations, refs = [], [], []
    h, w = 24, 32
    for i in range(3):
        name = "%05d.jpg" % (i + 1)
        Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(os.path.join(images_dir, name), quality=90)
        images.append({"id": i + 1, "file_name": name, "height": h, "width": w})
        mask = np.zeros((h, w), dtype=np.uint8)
        mask[4 + i:12 + i, 5:15 + i] = 1
        if i == 0:
            seg = [[5.0, 4.0, 15.0, 4.0, 15.0, 12.0, 5.0, 12.0]]
        elif i == 1:
            seg = {"size": [h, w], "counts": rle_counts(mask)}
        else:
            seg = {"size": [h, w], "counts": rle_string(rle_counts(mask))}
        annotations.append({"id": i + 1, "image_id": i + 1, "category_id": 1, "iscrowd": 0,
                            "area": int(mask.sum()), "bbox": [5, 4 + i, 10 + i, 8], "segmentation": seg})
        sentences = [{"raw": "the tank %d" % i, "sent": "the tank %d" % i, "tokens": ["the", "tank", str(i)],
                      "sent_id": 2 * i + k} for k in range(2)]
        refs.append({"ref_id": i + 1, "ann_id": i + 1, "image_id": i + 1, "category_id": 1,
                     "split": ["train", "val", "test"][i], "sent_ids": [s["sent_id"] for s in sentences],
                     "sentences": sentences, "file_name": name})
    with open(os.path.join(root, "rrsisd", "instances.json"), "w") as f:
        json.dump({"images": images, "annotations": annotations,
                   "categories": [{"id": 1, "name": "storage tank", "supercategory": "storage tank"}]}, f)
    with open(os.path.join(root, "rrsisd", "refs(unc).p"), "wb") as f:
        pickle.dump(refs, f, protocol=2)
    # The same refs in the other protocols, for the opcode check to accept every one Python writes.
    for protocol in (0, 4, 5):
        with open(os.path.join(ROOT, "refs-protocol%d.p" % protocol), "wb") as f:
            pickle.dump(refs, f, protocol=protocol)


def refsegrs():
    root = os.path.join(ROOT, "refsegrs")
    for sub in ("images", "masks"):
        os.makedirs(os.path.join(root, sub), exist_ok=True)
    rng = np.random.default_rng(5)
    lines = []
    for i in range(3):
        Image.fromarray(rng.integers(0, 255, (20, 20, 3), dtype=np.uint8)).save(os.path.join(root, "images", "%d.tif" % i))
        mask = np.zeros((20, 20), dtype=np.uint8)
        mask[3:9 + i, 2:12] = 255
        Image.fromarray(mask).save(os.path.join(root, "masks", "%d.tif" % i))
        lines.append("%d the vehicle number %d on the road" % (i, i))
    with open(os.path.join(root, "output_phrase_test.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    rrsisd()
    refsegrs()
