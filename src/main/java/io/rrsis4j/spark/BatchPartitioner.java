package io.rrsis4j.spark;

import org.apache.spark.Partitioner;

/**
 * Sends manifest position p to partition (p / batch) mod partitions: whole batches stay together, and consecutive
 * batches go to different partitions, so the work spreads evenly.
 */
final class BatchPartitioner extends Partitioner {

    private final int partitions;
    private final int batch;

    BatchPartitioner(int partitions, int batch) {
        this.partitions = partitions;
        this.batch = batch;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        return (int) (((Long) key / batch) % partitions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchPartitioner p && p.partitions == partitions && p.batch == batch;
    }

    @Override
    public int hashCode() {
        return 31 * partitions + batch;
    }
}
