"""Checks a folder in gRefCOCO's layout (e.g. one written by `rrsis4j synth --format grefs`) the way the official
loader treats it: refs from grefcoco/grefs(unc).p or .json, ann_id a list or a plain id, [-1] only with
no_target true, every listed annotation on the ref's image, segmentations decoded with pycocotools (polygons via
frPyObjects, list RLE via frPyObjects, compressed RLE as bytes), crowd annotations left out of the union.

Run with /usr/bin/python3 and pycocotools importable: python3 src/test/python/check_grefcoco_layout.py DIR
Prints the number of refs and of sentences per kind; fails with an assertion on the first ref that breaks a rule.
src/test/resources/fixtures/grefcoco (base/ with a refs file copied in) passes it too.
"""
import json
import os
import pickle
import sys

import numpy as np
import pycocotools.mask as coco_mask


def main(root):
    pickled = os.path.join(root, "grefcoco", "grefs(unc).p")
    if os.path.exists(pickled):
        with open(pickled, "rb") as f:
            refs = pickle.load(f)
    else:
        with open(os.path.join(root, "grefcoco", "grefs(unc).json")) as f:
            refs = json.load(f)
    with open(os.path.join(root, "grefcoco", "instances.json")) as f:
        instances = json.load(f)
    anns = {a["id"]: a for a in instances["annotations"]}
    images = {i["id"]: i for i in instances["images"]}
    kinds = {"none": 0, "single": 0, "multi": 0, "crowd only (rrsis4j leaves these out)": 0}
    for ref in refs:
        ids = ref["ann_id"] if isinstance(ref["ann_id"], list) else [ref["ann_id"]]
        image = images[ref["image_id"]]
        assert os.path.isfile(os.path.join(root, "images", "train2014", image["file_name"])), image["file_name"]
        assert ref["sentences"], ref["ref_id"]
        if ids == [-1]:
            assert ref.get("no_target", True) is True, ref["ref_id"]
            kinds["none"] += len(ref["sentences"])
            continue
        assert -1 not in ids and not ref.get("no_target", False), ref["ref_id"]
        union = np.zeros((image["height"], image["width"]), dtype=np.uint8)
        kept = 0
        for i in ids:
            ann = anns[i]
            assert ann["image_id"] == ref["image_id"], (ref["ref_id"], i)
            if ann["iscrowd"]:
                continue
            seg = ann["segmentation"]
            if isinstance(seg, list):
                valid = [p for p in seg if len(p) % 2 == 0 and len(p) >= 6]
                rle = coco_mask.merge(coco_mask.frPyObjects(valid, image["height"], image["width"]))
            elif isinstance(seg["counts"], list):
                rle = coco_mask.frPyObjects(seg, *seg["size"])
            else:
                rle = {"size": seg["size"], "counts": seg["counts"].encode()}
            mask = coco_mask.decode(rle)
            assert mask.sum() == ann["area"], (i, int(mask.sum()), ann["area"])
            union |= mask
            kept += 1
        kind = "crowd only (rrsis4j leaves these out)" if kept == 0 else "single" if kept == 1 else "multi"
        kinds[kind] += len(ref["sentences"])
    print("%d refs read as the official loader reads them; sentences: %s" % (len(refs), kinds))


if __name__ == "__main__":
    main(sys.argv[1])
