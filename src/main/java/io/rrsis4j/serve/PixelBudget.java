package io.rrsis4j.serve;

import java.util.concurrent.Semaphore;

/**
 * Pixels of decoded images the server holds at once, from decoding through the queue and the model to the encoded
 * answer. Each image within the size limit is small to upload (a flat 8192 x 8192 PNG is a few hundred KB) but takes
 * hundreds of MB once decoded, with its probabilities and mask; a dozen at once would exhaust the heap and fail every
 * request with an OutOfMemoryError. An image is admitted from its declared size, before its pixels are decoded; one
 * that does not fit now is answered 503 at once.
 */
final class PixelBudget {
    /** Heap per held pixel: the decoded image (4), its probabilities (4), mask (1) and answer, with headroom. */
    static final int BYTES_PER_PIXEL = 16;
    private static final int PIXELS_PER_PERMIT = 4096;

    private final Semaphore permits;
    private final long pixels;

    PixelBudget(long pixels) {
        if (pixels <= 0) {
            throw new IllegalArgumentException("pixel budget must be positive");
        }
        this.pixels = pixels;
        this.permits = new Semaphore((int) Math.min(Integer.MAX_VALUE, units(pixels)));
    }

    /** Half the heap, and never less than one image of the largest accepted size. */
    static PixelBudget forHeap(long largestImagePixels) {
        return new PixelBudget(Math.max(largestImagePixels, Runtime.getRuntime().maxMemory() / 2 / BYTES_PER_PIXEL));
    }

    private static long units(long pixelCount) {
        return (pixelCount + PIXELS_PER_PERMIT - 1) / PIXELS_PER_PERMIT;
    }

    /** What one request holds; closing it gives the pixels back. */
    final class Held implements AutoCloseable {
        private int units;

        /** Takes the image's pixels, or throws 503 when other requests hold too many now. */
        void reserve(int width, int height) {
            int wanted = (int) Math.min(Integer.MAX_VALUE, units((long) width * height));
            if (!permits.tryAcquire(wanted)) {
                throw new ApiException(503, "the server is holding too many large images (" + pixels
                        + " pixels in all); try again shortly or send a smaller image");
            }
            units += wanted;
        }

        @Override
        public void close() {
            permits.release(units);
            units = 0;
        }
    }

    Held holder() {
        return new Held();
    }
}
