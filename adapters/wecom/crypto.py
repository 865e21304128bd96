"""WeCom callback crypto: signature, AES-256-CBC payloads, replay protection.

The scheme (WeCom's "回调和回复的加解密方案"):
- signature = SHA-1 hex of the sorted, concatenated [token, timestamp, nonce, ciphertext];
- key = base64decode(EncodingAESKey + "="), 32 bytes; IV = key[:16];
- plaintext = 16 random bytes + 4-byte big-endian length + message + receive id,
  PKCS#7-padded to 32-byte blocks, base64 on the wire.
The receive id is the CorpID for a self-built app and empty for an intelligent robot.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
import time
from collections import OrderedDict

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class CallbackRejected(Exception):
    """A callback that must not be processed. The reason never contains secrets."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def signature(token: str, timestamp: str, nonce: str, ciphertext: str) -> str:
    joined = "".join(sorted([token, timestamp, nonce, ciphertext]))
    return hashlib.sha1(joined.encode()).hexdigest()


def _pad(data: bytes) -> bytes:
    amount = BLOCK - len(data) % BLOCK
    return data + bytes([amount]) * amount


def _unpad(data: bytes) -> bytes:
    if not data:
        raise CallbackRejected("empty plaintext")
    amount = data[-1]
    if not 1 <= amount <= BLOCK or data[-amount:] != bytes([amount]) * amount:
        raise CallbackRejected("bad padding")
    return data[:-amount]


class WeComCrypto:
    """Encrypts and decrypts for one callback configuration (token, key, receive id)."""

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str = "") -> None:
        try:
            key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error as exc:
            raise ValueError("EncodingAESKey is not valid base64") from exc
        if len(key) != 32:
            raise ValueError("EncodingAESKey must be 43 characters (32 bytes once decoded)")
        self._token = token
        self._key = key
        self.receive_id = receive_id

    def __repr__(self) -> str:  # never show the token or key
        return f"WeComCrypto(receive_id={self.receive_id!r})"

    def sign(self, timestamp: str, nonce: str, ciphertext: str) -> str:
        return signature(self._token, timestamp, nonce, ciphertext)

    def check_signature(self, msg_signature: str, timestamp: str, nonce: str, ciphertext: str) -> None:
        expected = self.sign(timestamp, nonce, ciphertext)
        if not hmac.compare_digest(expected, (msg_signature or "").lower()):
            raise CallbackRejected("bad signature")

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))

    def encrypt(self, message: str, random16: bytes | None = None) -> str:
        body = message.encode()
        prefix = random16 if random16 is not None else os.urandom(16)
        plain = prefix + struct.pack(">I", len(body)) + body + self.receive_id.encode()
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(_pad(plain)) + encryptor.finalize()).decode()

    def decrypt(self, ciphertext: str) -> str:
        """The message inside `ciphertext`; rejects a payload for another receive id."""
        try:
            raw = base64.b64decode(ciphertext, validate=True)
        except binascii.Error as exc:
            raise CallbackRejected("ciphertext is not base64") from exc
        if not raw or len(raw) % 16:
            raise CallbackRejected("ciphertext has a bad length")
        decryptor = self._cipher().decryptor()
        plain = _unpad(decryptor.update(raw) + decryptor.finalize())
        if len(plain) < 20:
            raise CallbackRejected("plaintext too short")
        (length,) = struct.unpack(">I", plain[16:20])
        if 20 + length > len(plain):
            raise CallbackRejected("bad message length")
        message, receive_id = plain[20 : 20 + length], plain[20 + length :]
        if receive_id.decode(errors="replace") != self.receive_id:
            raise CallbackRejected("wrong receive id")
        try:
            return message.decode()
        except UnicodeDecodeError as exc:
            raise CallbackRejected("message is not UTF-8") from exc

    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """URL verification (GET): the decrypted echostr, to be answered as is."""
        self.check_signature(msg_signature, timestamp, nonce, echostr)
        return self.decrypt(echostr)

    def open(self, msg_signature: str, timestamp: str, nonce: str, ciphertext: str) -> str:
        """A POSTed callback's plaintext after checking its signature."""
        self.check_signature(msg_signature, timestamp, nonce, ciphertext)
        return self.decrypt(ciphertext)

    def seal(self, message: str, timestamp: str, nonce: str) -> tuple[str, str]:
        """(ciphertext, signature) for a passive reply or a test callback."""
        ciphertext = self.encrypt(message)
        return ciphertext, self.sign(timestamp, nonce, ciphertext)


class ReplayGuard:
    """Refuses stale timestamps and nonces seen within the accepted window."""

    def __init__(self, max_age_s: float = 300.0, max_nonces: int = 10_000) -> None:
        self.max_age_s = max_age_s
        self.max_nonces = max_nonces
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()

    def check(self, timestamp: str, nonce: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        try:
            sent = float(timestamp)
        except ValueError as exc:
            raise CallbackRejected("bad timestamp") from exc
        if abs(now - sent) > self.max_age_s:
            raise CallbackRejected("stale timestamp")
        self._expire(now)
        key = (timestamp, nonce)
        if key in self._seen:
            raise CallbackRejected("replayed nonce")
        self._seen[key] = now
        while len(self._seen) > self.max_nonces:
            self._seen.popitem(last=False)

    def _expire(self, now: float) -> None:
        while self._seen:
            key, seen_at = next(iter(self._seen.items()))
            if now - seen_at <= self.max_age_s * 2:
                break
            self._seen.popitem(last=False)
