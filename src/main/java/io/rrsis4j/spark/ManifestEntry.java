package io.rrsis4j.spark;

import java.io.Serializable;

/**
 * One manifest row: its 0-based position in the manifest, id (the manifest's, else the position), image path or URI
 * (relative paths are taken from the manifest's folder) and sentence.
 */
record ManifestEntry(long index, String id, String image, String text) implements Serializable {}
