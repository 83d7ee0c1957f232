"""Throw-away key material for the local FCM endpoint.

Two files make the official SDKs talk to `MessagingServer` without any change to them:

* a self-signed certificate for `fcm.googleapis.com`, added to a copy of the CA bundle that
  `requests` uses (`REQUESTS_CA_BUNDLE`), so the TLS session inside the proxy tunnel verifies;
* a service account key whose `token_uri` is the server's `/token` route
  (`GOOGLE_APPLICATION_CREDENTIALS`), so Application Default Credentials sign in locally and
  the SDK sends `Authorization: Bearer <token>` as it would in production.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Final

import certifi
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

__all__ = ["FCM_HOST", "write_ca_bundle", "write_service_account"]

FCM_HOST: Final = "fcm.googleapis.com"
"""The host firebase-admin's messaging module sends to (its URL is fixed in the SDK)."""


def write_ca_bundle(directory: Path) -> tuple[Path, Path, Path]:
    """A certificate and key for `fcm.googleapis.com`, and a CA bundle holding the public
    roots plus that certificate; (bundle, certificate, key) paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "firelab local FCM")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(FCM_HOST)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    cert_path = directory / "fcm-local.crt"
    key_path = directory / "fcm-local.key"
    bundle_path = directory / "ca-bundle.pem"
    cert_path.write_bytes(cert_pem)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    bundle_path.write_bytes(Path(certifi.where()).read_bytes() + b"\n" + cert_pem)
    return bundle_path, cert_path, key_path


def write_service_account(directory: Path, project: str, token_uri: str) -> Path:
    """A service account key file for `project` whose tokens come from `token_uri`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    info = {
        "type": "service_account",
        "project_id": project,
        "private_key_id": "firelab-local",
        "private_key": pem,
        "client_email": f"firelab-local@{project}.iam.gserviceaccount.com",
        "client_id": "0",
        "token_uri": token_uri,
    }
    path = directory / "service-account.json"
    path.write_text(json.dumps(info, indent=2), "utf-8")
    return path
