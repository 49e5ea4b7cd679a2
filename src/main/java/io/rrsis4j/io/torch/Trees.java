package io.rrsis4j.io.torch;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Walks an unpickled object tree (maps, lists, tuples as Object[], {@link PickledObject}s) without recursion: a
 * pickle can nest deeply or refer to itself through its memo, and neither may overflow the stack or loop.
 */
final class Trees {
    private Trees() {}

    /**
     * Replaces, in place, every value for which {@code f} returns non-null by that result.
     *
     * @return the root's replacement, or the root itself
     */
    static Object replace(Object root, Function<Object, Object> f) {
        Object top = f.apply(root);
        if (top != null) {
            return top;
        }
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new ArrayDeque<>();
        pushUnlessNull(todo, root);
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (o == null || !seen.add(o)) {
                continue;
            }
            if (o instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    @SuppressWarnings("unchecked")
                    Map.Entry<Object, Object> entry = (Map.Entry<Object, Object>) e;
                    Object r = f.apply(entry.getValue());
                    if (r != null) {
                        entry.setValue(r);
                    } else {
                        pushUnlessNull(todo, entry.getValue());
                    }
                }
                if (o instanceof PickledObject p) {
                    Object r = f.apply(p.state());
                    if (r != null) {
                        p.setState(r);
                    } else {
                        pushUnlessNull(todo, p.state());
                    }
                }
            } else if (o instanceof List<?> l) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) l;
                for (int i = 0; i < list.size(); i++) {
                    Object r = f.apply(list.get(i));
                    if (r != null) {
                        list.set(i, r);
                    } else {
                        pushUnlessNull(todo, list.get(i));
                    }
                }
            } else if (o instanceof Object[] a) {
                for (int i = 0; i < a.length; i++) {
                    Object r = f.apply(a[i]);
                    if (r != null) {
                        a[i] = r;
                    } else {
                        pushUnlessNull(todo, a[i]);
                    }
                }
            }
        }
        return root;
    }

    private static void pushUnlessNull(Deque<Object> todo, Object o) {
        if (o != null) {
            todo.push(o);
        }
    }
}
