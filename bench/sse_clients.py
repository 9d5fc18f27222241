"""Holds N event streams of a FlowLine server open and reads them until killed, for
bench/http.sh. Prints "connected N" once every stream has its first bytes.
usage: python3 bench/sse_clients.py PORT TOKEN N"""
import selectors
import socket
import sys

port, token, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
request = (f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
           f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n").encode()
sel = selectors.DefaultSelector()
waiting = set()
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(request)
    sel.register(s, selectors.EVENT_READ)
    waiting.add(s)
received = 0
while True:
    for key, _ in sel.select():
        data = key.fileobj.recv(65536)
        if not data:
            sel.unregister(key.fileobj)
            continue
        received += len(data)
        if key.fileobj in waiting:
            waiting.discard(key.fileobj)
            if not waiting:
                print(f"connected {n}", flush=True)
