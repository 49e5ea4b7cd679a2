package io.rrsis4j.data.synthetic;

import io.rrsis4j.data.BinaryMask;

/**
 * One object drawn into a synthetic scene, with what the expression writer needs to describe it.
 *
 * @param category benchmark category name ("storage tank", "vehicle", ...)
 * @param colour colour word of the object ("red", "white", ...)
 * @param mask the pixels that show this object in the final image (occlusions removed)
 * @param centreX mask centroid, pixels
 * @param centreY mask centroid, pixels
 * @param onRoad whether the object stands on a road (vehicles parked on the street)
 * @param orientation "horizontal" or "vertical" for roads, "" otherwise
 */
public record SceneObject(
        String category, String colour, BinaryMask mask, double centreX, double centreY, boolean onRoad, String orientation) {

    public int area() {
        return mask.count();
    }
}
