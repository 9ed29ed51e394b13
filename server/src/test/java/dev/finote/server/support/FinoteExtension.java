package dev.finote.server.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the shared PostgreSQL ({@link SharedDatabase}), the shared server running
 * under the restricted role ({@link TestServer}), and a fresh {@link Api} client.
 */
public final class FinoteExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == SharedDatabase.class || type == TestServer.class || type == Api.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        SharedDatabase database = SharedDatabase.in(context);
        if (type == SharedDatabase.class) return database;
        TestServer server = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(TestServer.class, key -> TestServer.start(database.appUrl()), TestServer.class);
        return type == TestServer.class ? server : server.api();
    }
}
