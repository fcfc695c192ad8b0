"""Real local servers the tests talk to: an SMTP sink, an HTTP webhook receiver and an IMAP server."""

import asyncio
import json
import os
import shutil
import socket
import tempfile
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps every message it accepts."""

    def __init__(self):
        self.messages = []
        self.delay = 0.0  # seconds to hold each message, to make sending slow on purpose
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def start(self):
        self._controller.start()
        return self

    def stop(self):
        self._controller.stop()

    def by_message_id(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for message in list(self.messages):
            counts[message["Message-ID"]] = counts.get(message["Message-ID"], 0) + 1
        return counts


class WebhookSink:
    """An HTTP server that records POSTed bodies and headers and answers ``status``."""

    def __init__(self, status: int = 200):
        self.requests: list[dict] = []
        self.status = status
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                sink.requests.append({"body": body, "headers": dict(self.headers), "json": json.loads(body)})
                self.send_response(sink.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    def start(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()


class TcpProxy:
    """A TCP proxy on 127.0.0.1 to another local server, which a test can cut and restore: an outage of
    that server (a restart, a failover) as the clients see it, without touching the server itself."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def cut(self) -> None:
        """Refuse new connections and drop every open one, as a server going down does."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        with self._lock:
            for connection in self._connections:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                connection.close()
            self._connections.clear()

    restore = start

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class ImapServer:
    """A private Dovecot (Debian's dovecot-imapd, which `make test` installs) on a free port on 127.0.0.1, its
    mailboxes under ``workdir``: the office's mailbox as a real IMAP server serves it. Any user logs in with
    ``password``."""

    password = "secret"

    def __init__(self, workdir):
        import pwd

        self.workdir, self.port = workdir, free_port()
        self.config = workdir / "dovecot.conf"
        nobody = pwd.getpwnam("nobody")
        for name in ("run", "state"):
            (workdir / name).mkdir(parents=True, exist_ok=True)
        # The mail processes run as nobody, who must reach the mailboxes: not under pytest's private temporary folder.
        self.mail_dir = Path(tempfile.mkdtemp(prefix="rabfang-imap-"))
        self.mail_dir.chmod(0o755)
        os.chown(self.mail_dir, nobody.pw_uid, nobody.pw_gid)
        self.config.write_text(f"""
base_dir = {workdir}/run
state_dir = {workdir}/state
log_path = {workdir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{self.mail_dir}/%u
first_valid_uid = 1
passdb {{
  driver = static
  args = password={self.password}
}}
userdb {{
  driver = static
  args = uid={nobody.pw_uid} gid={nobody.pw_gid} home={self.mail_dir}/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
""")

    def start(self):
        import imaplib
        import subprocess
        import time

        subprocess.run(["dovecot", "-c", str(self.config)], check=True)
        deadline = time.monotonic() + 30
        while True:  # until it answers, however long a busy machine takes
            try:
                imaplib.IMAP4("127.0.0.1", self.port).logout()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self):
        import subprocess

        subprocess.run(["dovecot", "-c", str(self.config), "stop"], check=False)
        shutil.rmtree(self.mail_dir, ignore_errors=True)

    def deliver(self, user: str, message: bytes, folder: str = "INBOX") -> None:
        import imaplib

        client = imaplib.IMAP4("127.0.0.1", self.port)
        client.login(user, self.password)
        client.append(folder, None, None, message)
        client.logout()

    def flags(self, user: str, folder: str = "INBOX") -> list[bytes]:
        import imaplib

        client = imaplib.IMAP4("127.0.0.1", self.port)
        client.login(user, self.password)
        client.select(folder)
        _, found = client.fetch("1:*", "(FLAGS)")
        client.logout()
        return [line for line in found if line]


class LineApiStandIn:
    """An HTTP server that plays LINE's Messaging API for the official SDK (``LINE_API_BASE_URL`` and
    ``LINE_DATA_BASE_URL`` point here): it records replies and pushes, and serves the content of the images users
    'sent' (``contents``)."""

    def __init__(self):
        self.replies: list[dict] = []
        self.pushes: list[dict] = []
        self.contents: dict[str, bytes] = {}
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if self.path == "/v2/bot/message/reply":
                    stand_in.replies.append(body)
                elif self.path == "/v2/bot/message/push":
                    stand_in.pushes.append({**body, "retry_key": self.headers.get("X-Line-Retry-Key")})
                else:
                    self._answer(404, b"{}")
                    return
                self._answer(200, b'{"sentMessages": [{"id": "461230966842064897", "quoteToken": "q"}]}')

            def do_GET(self):  # noqa: N802
                message_id = self.path.removeprefix("/v2/bot/message/").removesuffix("/content")
                content = stand_in.contents.get(message_id)
                self._answer(200 if content is not None else 404, content or b"{}", "image/jpeg")

            def _answer(self, status: int, body: bytes, content_type: str = "application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)

    def start(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def texts(self) -> list[str]:
        return [message["text"] for reply in self.replies for message in reply.get("messages", [])]
