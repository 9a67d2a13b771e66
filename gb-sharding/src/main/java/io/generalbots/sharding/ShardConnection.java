package io.generalbots.sharding;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connection handed to callers: a proxy over the pooled connection that gives its pool's place
 * in the budget back exactly once, when it is first closed. It equals only itself (the pooled
 * connection's {@code equals} would not be reflexive on the proxy).
 */
final class ShardConnection implements InvocationHandler {

    private final Connection connection;
    private final String shard;
    private final Runnable onClose;
    private final AtomicBoolean returned = new AtomicBoolean();

    private ShardConnection(Connection connection, String shard, Runnable onClose) {
        this.connection = connection;
        this.shard = shard;
        this.onClose = onClose;
    }

    /**
     * Wraps a pooled connection.
     *
     * @param connection the pooled connection
     * @param shard      its shard, for {@code toString}
     * @param onClose    run once, after the pooled connection is closed (even if closing it failed)
     * @return the proxy
     */
    static Connection wrap(Connection connection, String shard, Runnable onClose) {
        return (Connection) Proxy.newProxyInstance(ShardConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new ShardConnection(connection, shard, onClose));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        int arity = method.getParameterCount();
        if (name.equals("close") && arity == 0) {
            if (returned.compareAndSet(false, true)) {
                try {
                    connection.close();
                } finally {
                    onClose.run();
                }
            }
            return null;
        }
        if (name.equals("isClosed") && arity == 0 && returned.get()) {
            return Boolean.TRUE;
        }
        if (name.equals("toString") && arity == 0) {
            return "ShardConnection[" + shard + "]";
        }
        if (name.equals("equals") && arity == 1) {
            return proxy == args[0];
        }
        if (name.equals("hashCode") && arity == 0) {
            return System.identityHashCode(proxy);
        }
        try {
            return method.invoke(connection, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
