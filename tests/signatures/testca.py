"""A test certification authority made with `cryptography`: a root, and signers'
certificates saved as PKCS#12 files (real keys, real certificates, no mock)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = b"registre"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Dijon métropole (test)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])  # fmt: skip


class DemoCA:
    """A root certificate and its key; `issue` makes a signer's PKCS#12 file."""

    def __init__(self, name: str = "AC de test registre", now: dt.datetime | None = None) -> None:
        self.now = now or dt.datetime.now(dt.UTC)
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.certificate = (
            x509.CertificateBuilder().subject_name(_name(name)).issuer_name(_name(name))
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(self.now - dt.timedelta(days=1))
            .not_valid_after(self.now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                key_encipherment=False, data_encipherment=False, key_agreement=False,
                key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
                critical=True)
            .sign(self.key, hashes.SHA256())
        )  # fmt: skip

    @property
    def root(self) -> asn1_x509.Certificate:
        """The root as pyHanko's trust anchor."""
        return asn1_x509.Certificate.load(self.certificate.public_bytes(serialization.Encoding.DER))

    def issue(self, folder: Path, common: str, *, days: int = 365, start_days_ago: int = 1) -> Path:
        """A signer's key and certificate in a PKCS#12 file (passphrase PASSPHRASE)."""
        key = ec.generate_private_key(ec.SECP256R1())
        start = self.now - dt.timedelta(days=start_days_ago)
        certificate = (
            x509.CertificateBuilder().subject_name(_name(common)).issuer_name(self.certificate.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + dt.timedelta(days=days))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                key_encipherment=False, data_encipherment=False, key_agreement=False,
                key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False),
                critical=True)
            .sign(self.key, hashes.SHA256())
        )  # fmt: skip
        path = folder / f"{common.replace(' ', '-')}.p12"
        path.write_bytes(pkcs12.serialize_key_and_certificates(
            common.encode(), key, certificate, [self.certificate],
            serialization.BestAvailableEncryption(PASSPHRASE)))  # fmt: skip
        return path

    def issue_tsa(self) -> tuple[asn1_x509.Certificate, asn1_keys.PrivateKeyInfo]:
        """A timestamping authority's certificate (timeStamping, critical) and key
        (RSA: pyHanko's DummyTimeStamper signs with RSA only)."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        certificate = (
            x509.CertificateBuilder().subject_name(_name("Horodatage de test"))
            .issuer_name(self.certificate.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(self.now - dt.timedelta(days=1))
            .not_valid_after(self.now + dt.timedelta(days=365))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(self.key, hashes.SHA256())
        )  # fmt: skip
        der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())  # fmt: skip
        return (asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
                asn1_keys.PrivateKeyInfo.load(der_key))  # fmt: skip
