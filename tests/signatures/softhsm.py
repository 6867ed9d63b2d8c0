"""A PKCS#11 token for the tests: Debian's SoftHSM (a real PKCS#11 module, as a smart
card is reached) in a temporary folder, holding a signer's key and certificate."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
LABEL, PIN, KEY = "registre", "123456", "signataire"


def available() -> bool:
    """Whether SoftHSM and pkcs11-tool are installed."""
    return (
        MODULE.is_file()
        and bool(shutil.which("softhsm2-util"))
        and bool(shutil.which("pkcs11-tool"))
    )


@contextmanager
def token_with(p12: Path, passphrase: bytes, folder: Path) -> Iterator[str]:
    """A token holding the PKCS#12's key and certificate; yields the module's path."""
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(config)
    try:
        key, certificate, _ = pkcs12.load_key_and_certificates(p12.read_bytes(), passphrase)
        assert key is not None and certificate is not None
        key_file, cert_file = folder / "cle.pem", folder / "cert.der"
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))  # fmt: skip
        cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.DER))
        _run(
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            LABEL,
            "--pin",
            PIN,
            "--so-pin",
            PIN,
        )
        _run("softhsm2-util", "--import", str(key_file), "--token", LABEL, "--label", KEY,
             "--id", "01", "--pin", PIN)  # fmt: skip
        _run("pkcs11-tool", "--module", str(MODULE), "--token-label", LABEL, "--login",
             "--pin", PIN, "--write-object", str(cert_file), "--type", "cert", "--id", "01",
             "--label", KEY)  # fmt: skip
        key_file.unlink()
        _reload_configuration()
        yield str(MODULE)
    finally:
        if previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous


def _reload_configuration() -> None:
    """SoftHSM reads its configuration once, when the module is initialised in the
    process: re-initialise it so that this token, not an earlier test's, is seen."""
    import pkcs11  # noqa: PLC0415

    library = pkcs11.lib(str(MODULE))
    if library.initialized:
        library.reinitialize()


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True)
