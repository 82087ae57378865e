#!/usr/bin/env python3
"""A client and a server on loopback that exchange payloads made to look like markup, script
and diagram-language directives: what a hostile capture could carry. The server answers each
line with another such line. Used by record.sh (which captures the exchange with tcpdump)."""
import socket
import sys
import threading

PORT = int(sys.argv[1])
FROM_CLIENT = [
    b'GET /<script>window.__pwned="script"</script> HTTP/1.1\r\n',
    b'<img src=x onerror="window.__pwned=\'img\'">\r\n',
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=\'svg\'"><a href="javascript:window.__pwned=\'href\'">x</a></svg>\r\n',
    b'%%{init: {"securityLevel": "loose"}}%%\r\nclick C call alert(1)\r\n',
]
FROM_SERVER = [
    b'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>\r\n',
    b'@enduml\r\n!include /etc/passwd\r\n<img:http://127.0.0.1:9/x.png>\r\n%date()\r\n',
    b'</text></svg><script>window.__pwned="svg-export"</script>\r\n',
    b'"; window.__pwned="quote"; "\r\n',
]


def serve(listener):
    conn, _ = listener.accept()
    with conn:
        for answer in FROM_SERVER:
            if not conn.recv(4096):
                break
            conn.sendall(answer)
        conn.recv(4096)


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", PORT))
listener.listen(1)
server = threading.Thread(target=serve, args=(listener,))
server.start()
with socket.create_connection(("127.0.0.1", PORT)) as client:
    for line in FROM_CLIENT:
        client.sendall(line)
        client.recv(4096)
server.join()
listener.close()
