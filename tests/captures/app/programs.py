#!/usr/bin/env python3
"""The Python servers and clients of the application-layer captures, run in their own namespaces
by record.sh (the other scenarios use openssl and nghttp2). Python standard library only.

    programs.py http-server PORT          http.server (ThreadingHTTPServer, HTTP/1.1), one connection
    programs.py http-client HOST PORT     raw-socket HTTP/1.1 client: one keep-alive connection
    programs.py dns-server PORT           DNS over TCP, one connection, any number of queries
    programs.py dns-client HOST PORT      two queries on one connection, the second in two writes
    programs.py smtp-server PORT          scripted SMTP server (IPv6), one session
    programs.py smtp-client HOST PORT     smtplib: EHLO, MAIL, RCPT, DATA, QUIT
    programs.py ftp-server PORT           scripted FTP server, passive data port PORT + 50000
    programs.py ftp-client HOST PORT      ftplib: login, RETR of one file over a passive data connection

Every server serves exactly one connection and exits when the client has closed it.
Bodies are made of deterministic text, so a re-recording carries the same bytes.
"""
import http.server
import socket
import socketserver
import struct
import sys
import time


def text(n, seed):
    """n bytes of readable, deterministic text."""
    line = f"{seed} the quick brown fox jumps over the lazy dog 0123456789\n".encode()
    return (line * (n // len(line) + 1))[:n]


# ---------------------------------------------------------------- HTTP/1.1 (scenario http11_keepalive)

PAGE = text(4096, "page")
BIG = text(100_000, "big")
PIPE = {"/pipe/1": text(300, "pipe1"), "/pipe/2": text(1200, "pipe2"), "/pipe/3": text(2500, "pipe3")}
CHUNKS = [text(100, "c1"), text(8000, "c2"), text(500, "c3"), text(30, "c4")]
POST_BODY = b"name=tcp-ladder&kind=ladder&" + b"note=" + text(700, "post").replace(b"\n", b"+").replace(b" ", b"+")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "tcp-ladder-test/1"

    def log_message(self, fmt, *args):
        sys.stderr.write("http-server: " + (fmt % args) + "\n")

    def body(self, code, data, ctype="text/plain", head=False):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head=False):
        if self.path == "/page":
            self.body(200, PAGE, "text/html", head)
        elif self.path == "/big":
            self.body(200, BIG, "application/octet-stream", head)
        elif self.path in PIPE:
            self.body(200, PIPE[self.path], "text/plain", head)
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for chunk in CHUNKS:  # one write per chunk, a little apart: a streamed body
                time.sleep(0.01)
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            time.sleep(0.01)
            self.wfile.write(b"0\r\n\r\n")
        else:
            # Not send_error(): that adds "Connection: close" and would end the keep-alive.
            self.body(404, b"<html><body><h1>404 Not Found</h1><p>No such page: " +
                      self.path.encode() + b"</p></body></html>\n", "text/html", head)

    def do_POST(self):
        data = self.rfile.read(int(self.headers["Content-Length"]))
        self.body(201, b'{"stored": %d}\n' % len(data), "application/json")


class OneServer(http.server.ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True


def http_server(port):
    srv = OneServer(("0.0.0.0", port), Handler)
    srv.handle_request()  # accepts one connection, serves it in a thread
    srv.server_close()    # joins that thread: returns when the connection is closed


def read_response(f, head=False):
    status = f.readline()
    headers = {}
    while True:
        line = f.readline()
        if line in (b"\r\n", b""):
            break
        k, v = line.decode().split(":", 1)
        headers[k.strip().lower()] = v.strip()
    n = 0
    if head:
        pass
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int(f.readline().split(b";")[0], 16)
            n += len(f.read(size))
            f.readline()
            if size == 0:
                break
    else:
        n = len(f.read(int(headers.get("content-length", "0"))))
    sys.stderr.write(f"http-client: {status.decode().strip()} ({n} body bytes)\n")
    return status


def request(method, path, host, body=b"", extra=""):
    head = (f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: tcp-ladder-recorder/1\r\n"
            f"Accept: */*\r\n{extra}")
    if body:
        head += f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def http_client(host, port):
    authority = f"app.test:{port}"
    s = socket.create_connection((host, port))
    f = s.makefile("rb")
    # One request at a time, each answered before the next is written.
    for method, path, body in [("GET", "/page", b""), ("GET", "/chunked", b""), ("HEAD", "/page", b""),
                               ("GET", "/missing", b""), ("POST", "/submit", POST_BODY),
                               ("GET", "/big", b"")]:
        s.sendall(request(method, path, authority, body))
        read_response(f, head=method == "HEAD")
        time.sleep(0.05)
    # Pipelining: three requests in one write, then the three answers, in order.
    s.sendall(b"".join(request("GET", p, authority) for p in PIPE))
    for _ in PIPE:
        read_response(f)
    time.sleep(0.05)
    f.close()
    s.close()


# ---------------------------------------------------------------- DNS over TCP (scenario dns_tcp)

def qname(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"


def dns_query(qid, name, qtype=1):
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + qname(name) + struct.pack("!HH", qtype, 1)


def dns_answer(query):
    qid, flags = struct.unpack("!HH", query[:4])
    i = 12
    labels = []
    while query[i]:
        labels.append(query[i + 1:i + 1 + query[i]].decode())
        i += 1 + query[i]
    name = ".".join(labels).lower()
    question = query[12:i + 5]
    rd = flags & 0x0100
    if name == "www.app.test":
        answers = b"".join(b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + socket.inet_aton(a)
                           for a in ("192.0.2.10", "192.0.2.11"))
        return struct.pack("!HHHHHH", qid, 0x8400 | rd, 1, 2, 0, 0) + question + answers
    # NXDOMAIN, with the zone's SOA in the authority section (RFC 2308).
    zone = qname("app.test")
    soa = qname("ns.app.test") + qname("hostmaster.app.test") + struct.pack("!IIIII", 2024010101, 3600, 600,
                                                                             86400, 300)
    authority = zone + struct.pack("!HHIH", 6, 1, 300, len(soa)) + soa
    return struct.pack("!HHHHHH", qid, 0x8400 | rd | 3, 1, 0, 1, 0) + question + authority


def recv_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            return data
        data += chunk
    return data


def dns_server(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", port))
    srv.listen(1)
    conn, _ = srv.accept()
    while True:
        prefix = recv_exactly(conn, 2)
        if len(prefix) < 2:
            break
        query = recv_exactly(conn, struct.unpack("!H", prefix)[0])
        answer = dns_answer(query)
        conn.sendall(struct.pack("!H", len(answer)) + answer)  # prefix and message in one write
    conn.close()
    srv.close()


def dns_read(s):
    n = struct.unpack("!H", recv_exactly(s, 2))[0]
    msg = recv_exactly(s, n)
    qid, flags, _, an = struct.unpack("!HHHH", msg[:8])
    sys.stderr.write(f"dns-client: id {qid:#06x} rcode {flags & 15} answers {an}\n")


def dns_client(host, port):
    s = socket.create_connection((host, port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    q1 = dns_query(0x1A2B, "www.app.test")
    s.sendall(struct.pack("!H", len(q1)) + q1)
    dns_read(s)
    time.sleep(0.05)
    q2 = dns_query(0x3C4D, "missing.app.test")
    wire = struct.pack("!H", len(q2)) + q2
    cut = 2 + 12 + 8  # the length prefix, the header and the label "missing" (1 + 7 bytes)
    s.sendall(wire[:cut])
    time.sleep(0.2)
    s.sendall(wire[cut:])
    dns_read(s)
    time.sleep(0.05)
    s.close()


# ---------------------------------------------------------------- SMTP (scenario smtp)

MESSAGE = (b"From: Alice <alice@client.app.test>\r\nTo: Bob <bob@app.test>\r\n"
           b"Subject: ladder test\r\nDate: Mon, 01 Jan 2024 00:00:00 +0000\r\n"
           b"Message-ID: <ladder-1@client.app.test>\r\n\r\n" +
           text(3000, "mail").replace(b"\n", b"\r\n") +
           b"\r\n.a line that starts with a dot (dot-stuffed on the wire)\r\n")


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, text_):
        self.wfile.write(text_.encode())

    def handle(self):
        self.reply("220 mail.app.test ESMTP tcp-ladder-test\r\n")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode().strip().upper()
            sys.stderr.write(f"smtp-server: {line!r}\n")
            if cmd.startswith("EHLO"):
                self.reply("250-mail.app.test Hello client.app.test\r\n250-SIZE 10240000\r\n"
                           "250-8BITMIME\r\n250 HELP\r\n")
            elif cmd.startswith("HELO"):
                self.reply("250 mail.app.test\r\n")
            elif cmd.startswith("MAIL FROM"):
                self.reply("250 2.1.0 Ok\r\n")
            elif cmd.startswith("RCPT TO"):
                self.reply("250 2.1.5 Ok\r\n")
            elif cmd == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>\r\n")
                size = 0
                while True:
                    line = self.rfile.readline()
                    if line in (b".\r\n", b""):
                        break
                    size += len(line)
                self.reply(f"250 2.0.0 Ok: queued as 4F2A1C ({size} bytes)\r\n")
            elif cmd == "QUIT":
                self.reply("221 2.0.0 Bye\r\n")
                return
            else:
                self.reply("502 5.5.2 Error: command not recognized\r\n")


class SMTPServer(socketserver.TCPServer):
    address_family = socket.AF_INET6
    allow_reuse_address = True


def smtp_server(port):
    with SMTPServer(("::", port), SMTPHandler) as srv:
        srv.handle_request()


def smtp_client(host, port):
    import smtplib
    with smtplib.SMTP(host, port, local_hostname="client.app.test") as c:
        c.ehlo()
        c.sendmail("alice@client.app.test", ["bob@app.test"], MESSAGE)
        time.sleep(0.05)
    # The with block sent QUIT and closed the socket after the 221.


# ---------------------------------------------------------------- FTP (scenario ftp)

FILE = text(5000, "ftp")


class FTPHandler(socketserver.StreamRequestHandler):
    def reply(self, text_):
        self.wfile.write(text_.encode() + b"\r\n")

    def handle(self):
        data_port = self.server.server_address[1] + 50000
        listener = None
        self.reply("220 tcp-ladder-test FTP server ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd, _, arg = line.decode().strip().partition(" ")
            cmd = cmd.upper()
            sys.stderr.write(f"ftp-server: {line!r}\n")
            if cmd == "USER":
                self.reply("331 Please specify the password.")
            elif cmd == "PASS":
                self.reply("230 Login successful.")
            elif cmd == "SYST":
                self.reply("215 UNIX Type: L8")
            elif cmd == "TYPE":
                self.reply("200 Switching to Binary mode.")
            elif cmd == "PASV":
                listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                listener.bind((self.request.getsockname()[0], data_port))
                listener.listen(1)
                h = self.request.getsockname()[0].replace(".", ",")
                self.reply(f"227 Entering Passive Mode ({h},{data_port >> 8},{data_port & 255}).")
            elif cmd == "RETR" and listener is not None:
                conn, _ = listener.accept()
                listener.close()
                listener = None
                self.reply(f"150 Opening BINARY mode data connection for {arg} ({len(FILE)} bytes).")
                conn.sendall(FILE)
                conn.close()
                time.sleep(0.05)
                self.reply("226 Transfer complete.")
            elif cmd == "QUIT":
                self.reply("221 Goodbye.")
                return
            else:
                self.reply("502 Command not implemented.")


class FTPServer(socketserver.TCPServer):
    allow_reuse_address = True


def ftp_server(port):
    with FTPServer(("0.0.0.0", port), FTPHandler) as srv:
        srv.handle_request()


def ftp_client(host, port):
    import ftplib
    got = []
    with ftplib.FTP() as f:
        f.connect(host, port)
        f.login("anonymous", "ladder@app.test")
        f.sendcmd("SYST")
        f.retrbinary("RETR hello.txt", got.append)
        time.sleep(0.05)
        f.quit()
    sys.stderr.write(f"ftp-client: {sum(map(len, got))} bytes\n")


if __name__ == "__main__":
    what = sys.argv[1]
    args = sys.argv[2:]
    if what.endswith("-server"):
        globals()[what.replace("-", "_")](int(args[0]))
    else:
        globals()[what.replace("-", "_")](args[0], int(args[1]))
