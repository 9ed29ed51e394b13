package dev.finote.server.web;

import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketWrapperBase;

import java.util.Set;

/** Tomcat's NIO HTTP/1.1 connector, letting {@link SlowHeaderGuard} see its open connections. */
public class GuardedNioProtocol extends Http11NioProtocol {

    Set<SocketWrapperBase<NioChannel>> openConnections() {
        return getEndpoint().getConnections();
    }
}
