package io.rrsis4j.model.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A parameter store that hands the network its floating-point parameters in a lower precision (float16), converted
 * once per store and held in its manager; the network's own float32 parameters stay as they are (the master
 * copy). Integer parameters pass unchanged.
 */
final class CastParameterStore extends ParameterStore {
    private final NDManager manager;
    private final DataType type;
    private final Map<String, NDArray> cast = new ConcurrentHashMap<>();

    CastParameterStore(NDManager manager, DataType type) {
        super(manager, false);
        this.manager = manager;
        this.type = type;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray value = super.getValue(parameter, device, training);
        if (value == null || !value.getDataType().isFloating() || value.getDataType() == type) {
            return value;
        }
        return cast.computeIfAbsent(parameter.getId() + "@" + device, k -> {
            NDArray c = value.toType(type, true);
            c.attach(manager);
            NDScope.unregister(c); // kept with the store, not closed with the piece of the forward that made it
            return c;
        });
    }
}
