"""A TLS entrance for test clients that must carry their own `authorization` metadata.

In emulator mode google-cloud-firestore sends `authorization: Bearer owner` on every call and
ignores its credentials. Outside emulator mode it sends whatever its credentials' `apply()`
writes, but only over TLS. A client acting as an end user therefore connects here, in normal
mode, with credentials carrying the user's unsigned JWT: this door terminates TLS (ALPN `h2`)
with a throw-away certificate for 127.0.0.1 and relays the bytes, unchanged, to the server's
public port (ours or the official emulator's), so the server sees the user's token exactly as a
mobile or web SDK would send it. gRPC is told to trust the certificate through
`GRPC_DEFAULT_SSL_ROOTS_FILE_PATH`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import ssl
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

__all__ = ["TlsDoor", "write_certificate"]

_CHUNK = 1 << 18


def write_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost/127.0.0.1/::1; (certificate, key) PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "firelab local server")])
    now = dt.datetime.now(dt.UTC)
    alternative_names = x509.SubjectAlternativeName(
        [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            x509.IPAddress(ipaddress.ip_address("::1")),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(alternative_names, critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = directory / "firelab-local.crt"
    key_path = directory / "firelab-local.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            data = await reader.read(_CHUNK)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(ConnectionError, OSError, RuntimeError):
            if writer.can_write_eof():
                writer.write_eof()


class TlsDoor:
    """Accepts TLS on 127.0.0.1 and relays the plain bytes to `backend` (host, port)."""

    def __init__(self, backend: tuple[str, int], certificate: Path, key: Path) -> None:
        self._backend = backend
        self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._context.load_cert_chain(certificate, key)
        self._context.set_alpn_protocols(["h2", "http/1.1"])
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="firelab-tls", daemon=True
        )
        self._server: asyncio.Server | None = None
        self._connections: dict[asyncio.Task[None], list[asyncio.StreamWriter]] = {}
        self.port = 0

    def start(self) -> TlsDoor:
        """Start accepting; returns once the port is bound."""
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        self.port = future.result()
        return self

    async def _start(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, ssl=self._context)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections[task] = [writer]
        try:
            backend_reader, backend_writer = await asyncio.open_connection(*self._backend)
        except OSError:
            writer.close()
            del self._connections[task]
            return
        self._connections[task].append(backend_writer)
        try:
            await asyncio.gather(_pipe(reader, backend_writer), _pipe(backend_reader, writer))
        finally:
            for stream in (writer, backend_writer):
                stream.close()
            del self._connections[task]

    def stop(self) -> None:
        """Close every connection and the listener, and stop the thread."""

        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            # Aborting the transports ends both pipes of each connection, so its task returns.
            for writers in list(self._connections.values()):
                for stream in writers:
                    stream.transport.abort()
            await asyncio.gather(*self._connections, return_exceptions=True)
            if self._server is not None:
                await self._server.wait_closed()

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result()
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
        self._loop.close()
