package org.armature.bridge;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A man in the middle for tests: forwards datagrams between one client and a server, records the last packet of
 * each direction and can replay it later (the replay attack / duplicate delivery a network can produce).
 */
final class UdpProxy implements AutoCloseable {

    private final DatagramChannel front;
    private final DatagramChannel back;
    private final InetSocketAddress server;
    private volatile SocketAddress client;
    private volatile byte[] lastToServer;
    private volatile byte[] lastToClient;
    private volatile boolean closed;

    UdpProxy(InetSocketAddress server) throws IOException {
        this.server = server;
        front = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
        back = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
        start(front, true);
        start(back, false);
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) front.getLocalAddress();
    }

    private void start(DatagramChannel ch, boolean fromClient) {
        Thread t = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocate(2048);
            while (!closed) {
                try {
                    b.clear();
                    SocketAddress from = ch.receive(b);
                    b.flip();
                    byte[] data = new byte[b.remaining()];
                    b.get(data);
                    if (fromClient) {
                        client = from;
                        if (data.length > 3 && data[3] == Protocol.COMMAND) {
                            lastToServer = data;
                        }
                        back.send(ByteBuffer.wrap(data), server);
                    } else if (client != null) {
                        if (data.length > 3 && data[3] == Protocol.STATE) {
                            lastToClient = data;
                        }
                        front.send(ByteBuffer.wrap(data), client);
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-proxy");
        t.setDaemon(true);
        t.start();
    }

    /** Sends the recorded last command to the server and the last state to the client again. */
    void replay() throws IOException {
        byte[] c = lastToServer;
        byte[] s = lastToClient;
        if (c != null) {
            back.send(ByteBuffer.wrap(c), server);
        }
        if (s != null && client != null) {
            front.send(ByteBuffer.wrap(s), client);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        front.close();
        back.close();
    }
}
