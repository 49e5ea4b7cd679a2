package io.rrsis4j.io.torch;

import java.util.LinkedHashMap;

/**
 * An instance of a Python class the checkpoint reader does not model (argparse.Namespace, a numpy scalar, a yacs
 * CfgNode, ...): its class name, constructor arguments and state, kept only to be described. It is a map so that a
 * pickled dict subclass can receive its items.
 */
public final class PickledObject extends LinkedHashMap<Object, Object> {
    private final String type;
    private final transient Object[] args;
    private transient Object state;

    PickledObject(String type, Object[] args) {
        this.type = type;
        this.args = args;
    }

    /** "module.name" of the Python class. */
    public String type() {
        return type;
    }

    /** The arguments its class was called with (NEWOBJ / REDUCE). */
    public Object[] args() {
        return args.clone();
    }

    /** What BUILD restored (attributes), or null. */
    public Object state() {
        return state;
    }

    void setState(Object state) {
        this.state = state;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return type;
    }
}
