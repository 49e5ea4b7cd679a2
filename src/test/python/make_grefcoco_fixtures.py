"""Writes a small gRefCOCO folder as the release lays it out, with Python's own json and pickle (protocols 2 and 4),
so that GRefCocoReaderTest reads files our writer did not make.

Run with /usr/bin/python3 (numpy, PIL): python3 src/test/python/make_grefcoco_fixtures.py
Output: src/test/resources/fixtures/grefcoco/
  base/grefcoco/instances.json, base/images/train2014/*.jpg   the COCO file and the images
  refs/grefs(unc).json, refs/grefs(unc)-p2.p, refs/grefs(unc)-p4.p   the same refs three ways (the test copies one
                                                                   in as grefcoco/grefs(unc).json or .p)
  expected.json   per sample: split, sentence, category, number of objects and the mask as rows of 0/1

What it covers: polygons (one object of two polygons, one with a polygon of two points that the official loader
drops), compressed and uncompressed RLE, a crowd annotation inside a ref (left out of the union) and a ref of crowd
only (left out with a warning), ann_id as a list and as a plain int, multi-target and no-target refs (ann_id [-1],
no_target true), refs on three images of different sizes, splits train, val, testA and testB.

RLE is encoded by hand as pycocotools documents it (column-major runs starting with background; maskApi.c's
rleToString for the compressed form). When pycocotools can be imported, the hand encoding and the expected masks
(polygons rasterised by frPyObjects + decode) are checked against it; without it, the polygons are rectangles and
one triangle whose expected pixels are written below as pycocotools gives them.
"""
import json
import os
import pickle

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "fixtures", "grefcoco")

try:
    import pycocotools.mask as coco_mask
except ImportError:
    coco_mask = None


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


def rect(h, w, x0, y0, x1, y1):
    """Pixels x0..x1-1, y0..y1-1: what pycocotools rasterises for the polygon of corners (x0, y0) .. (x1, y1)."""
    m = np.zeros((h, w), dtype=np.uint8)
    m[y0:y1, x0:x1] = 1
    return m


def rect_polygon(x0, y0, x1, y1):
    return [float(x0), float(y0), float(x1), float(y0), float(x1), float(y1), float(x0), float(y1)]


# the triangle (12, 9), (18, 9), (15, 13) in a 20 x 14 image as pycocotools rasterises it (pixel centres inside)
TRIANGLE = [12.0, 9.0, 18.0, 9.0, 15.0, 13.0]
TRIANGLE_ROWS = {9: range(12, 18), 10: range(13, 17), 11: range(14, 16)}


def triangle_mask(h, w):
    m = np.zeros((h, w), dtype=np.uint8)
    for y, xs in TRIANGLE_ROWS.items():
        for x in xs:
            m[y, x] = 1
    return m


def polygon_mask(polygons, h, w):
    return coco_mask.decode(coco_mask.merge(coco_mask.frPyObjects(polygons, h, w)))


def main():
    images = [
        {"id": 1, "file_name": "COCO_train2014_000000000001.jpg", "height": 14, "width": 20},
        {"id": 2, "file_name": "COCO_train2014_000000000002.jpg", "height": 12, "width": 16},
        {"id": 3, "file_name": "COCO_train2014_000000000003.jpg", "height": 12, "width": 12},
    ]
    categories = [{"id": 1, "name": "airplane", "supercategory": "vehicle"},
                  {"id": 8, "name": "storage tank", "supercategory": "outdoor"},
                  {"id": 19, "name": "vehicle", "supercategory": "vehicle"}]
    masks = {}  # annotation id -> its mask, as the official loader decodes it
    annotations = []

    def annotate(ann_id, image_id, category_id, segmentation, mask, crowd=0):
        masks[ann_id] = mask
        ys, xs = np.nonzero(mask)
        bbox = [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]
        annotations.append({"id": ann_id, "image_id": image_id, "category_id": category_id, "iscrowd": crowd,
                            "area": int(mask.sum()), "bbox": bbox, "segmentation": segmentation})

    h, w = 14, 20
    annotate(101, 1, 8, [rect_polygon(2, 2, 8, 7)], rect(h, w, 2, 2, 8, 7))
    tank2 = rect(h, w, 10, 3, 16, 9)
    annotate(102, 1, 8, {"size": [h, w], "counts": rle_string(rle_counts(tank2))}, tank2)
    car = rect(h, w, 1, 9, 4, 13)
    car[9:11, 4:7] = 1  # an L-shaped vehicle
    annotate(103, 1, 19, {"size": [h, w], "counts": rle_counts(car)}, car)
    crowd = rect(h, w, 0, 12, 20, 14)
    annotate(104, 1, 19, {"size": [h, w], "counts": rle_counts(crowd)}, crowd, crowd=1)
    annotate(105, 1, 19, [TRIANGLE], triangle_mask(h, w))
    h, w = 12, 16
    plane = np.maximum(rect(h, w, 1, 1, 5, 3), rect(h, w, 2, 3, 4, 8))  # fuselage and wings: two polygons
    annotate(201, 2, 1, [rect_polygon(1, 1, 5, 3), rect_polygon(2, 3, 4, 8)], plane)
    # a polygon of two points (4 numbers) beside a valid one: the official loader drops the short one
    annotate(202, 2, 1, [[9.0, 9.0, 10.0, 10.0], rect_polygon(8, 2, 14, 6)], rect(h, w, 8, 2, 14, 6))
    annotate(301, 3, 19, [rect_polygon(3, 3, 6, 9)], rect(12, 12, 3, 3, 6, 9))

    if coco_mask is not None:  # the hand encodings and expected masks are pycocotools'
        for ann in annotations:
            img = next(i for i in images if i["id"] == ann["image_id"])
            seg = ann["segmentation"]
            if isinstance(seg, list):
                valid = [p for p in seg if len(p) % 2 == 0 and len(p) >= 6]
                got = polygon_mask(valid, img["height"], img["width"])
            elif isinstance(seg["counts"], list):
                rle = coco_mask.frPyObjects(seg, *seg["size"])
                got = coco_mask.decode(rle)
            else:
                got = coco_mask.decode({"size": seg["size"], "counts": seg["counts"].encode()})
                assert coco_mask.encode(np.asfortranarray(masks[ann["id"]]))["counts"].decode() == seg["counts"]
            assert (got == masks[ann["id"]]).all(), ann["id"]

    def sentence(sent_id, raw):
        return {"tokens": raw.lower().split(), "raw": raw, "sent_id": sent_id, "sent": raw.lower()}

    refs = [
        {"ref_id": 1, "image_id": 1, "split": "train", "category_id": 8, "ann_id": [101], "no_target": False,
         "file_name": "COCO_train2014_000000000001_1.jpg", "sent_ids": [1, 2],
         "sentences": [sentence(1, "The tank on the left"), sentence(2, "left storage tank")]},
        {"ref_id": 2, "image_id": 1, "split": "train", "category_id": 8, "ann_id": 102, "no_target": False,
         "file_name": "COCO_train2014_000000000001_2.jpg", "sent_ids": [3], "sentences": [sentence(3, "the right tank")]},
        {"ref_id": 3, "image_id": 1, "split": "val", "category_id": [8], "ann_id": [101, 102], "no_target": False,
         "file_name": "COCO_train2014_000000000001_3.jpg", "sent_ids": [4], "sentences": [sentence(4, "both storage tanks")]},
        {"ref_id": 4, "image_id": 1, "split": "val", "category_id": [19], "ann_id": [103, 104, 105], "no_target": False,
         "file_name": "COCO_train2014_000000000001_4.jpg", "sent_ids": [5], "sentences": [sentence(5, "all the cars")]},
        {"ref_id": 5, "image_id": 2, "split": "testA", "category_id": [1, 1], "ann_id": [201, 202], "no_target": False,
         "file_name": "COCO_train2014_000000000002_5.jpg", "sent_ids": [6], "sentences": [sentence(6, "the two planes")]},
        {"ref_id": 6, "image_id": 3, "split": "testA", "category_id": 1, "ann_id": [-1], "no_target": True,
         "file_name": "COCO_train2014_000000000003_6.jpg", "sent_ids": [7], "sentences": [sentence(7, "the airplane")]},
        {"ref_id": 7, "image_id": 2, "split": "testB", "category_id": 8, "ann_id": [-1], "no_target": True,
         "file_name": "COCO_train2014_000000000002_7.jpg", "sent_ids": [8], "sentences": [sentence(8, "the storage tank")]},
        {"ref_id": 8, "image_id": 1, "split": "testB", "category_id": 19, "ann_id": [104], "no_target": False,
         "file_name": "COCO_train2014_000000000001_8.jpg", "sent_ids": [9], "sentences": [sentence(9, "the crowd of cars")]},
    ]

    base = os.path.join(OUT, "base")
    os.makedirs(os.path.join(base, "grefcoco"), exist_ok=True)
    os.makedirs(os.path.join(base, "images", "train2014"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "refs"), exist_ok=True)
    rng = np.random.default_rng(5)
    for img in images:
        pixels = rng.integers(0, 255, (img["height"], img["width"], 3), dtype=np.uint8)
        Image.fromarray(pixels).save(os.path.join(base, "images", "train2014", img["file_name"]), quality=90)
    with open(os.path.join(base, "grefcoco", "instances.json"), "w") as f:
        json.dump({"images": images, "annotations": annotations, "categories": categories}, f)
    with open(os.path.join(OUT, "refs", "grefs(unc).json"), "w") as f:
        json.dump(refs, f)
    for protocol in (2, 4):
        with open(os.path.join(OUT, "refs", "grefs(unc)-p%d.p" % protocol), "wb") as f:
            pickle.dump(refs, f, protocol=protocol)

    expected = {}
    for ref in refs:
        ann_ids = ref["ann_id"] if isinstance(ref["ann_id"], list) else [ref["ann_id"]]
        img = next(i for i in images if i["id"] == ref["image_id"])
        kept = [a for a in ann_ids if a != -1 and not next(x for x in annotations if x["id"] == a)["iscrowd"]]
        if ann_ids != [-1] and not kept:
            continue  # crowd only: the reader leaves it out
        union = np.zeros((img["height"], img["width"]), dtype=np.uint8)
        for a in kept:
            union = np.maximum(union, masks[a])
        names = []
        for a in kept:
            name = next(c["name"] for c in categories
                        if c["id"] == next(x for x in annotations if x["id"] == a)["category_id"])
            if name not in names:
                names.append(name)
        if not kept:
            names = [next(c["name"] for c in categories if c["id"] == ref["category_id"])]
        for s in ref["sentences"]:
            expected["ref%d_sent%d" % (ref["ref_id"], s["sent_id"])] = {
                "split": ref["split"], "sentence": s["raw"], "category": ", ".join(names), "targets": len(kept),
                "image": img["file_name"], "rows": ["".join(str(v) for v in row) for row in union]}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
    print("wrote", OUT, "checked against pycocotools" if coco_mask is not None else "(pycocotools not found)")


if __name__ == "__main__":
    main()
