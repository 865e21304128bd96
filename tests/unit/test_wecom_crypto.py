"""WeCom callback crypto against the official sample vectors, and its refusals."""

from __future__ import annotations

import base64
import json

import pytest

from adapters.wecom.crypto import CallbackRejected, ReplayGuard, WeComCrypto, signature

# Test vectors from the official WeCom sample, repository sbzhu/weworkapi_python:
# callback/Sample.py (stored version 27220fbe9d5251d46101e33751568eae9f413666) and
# callback_json/Sample.py / callback_python3/Sample.py (JSON variant). The brief named
# commit 16e0b0524e64ef75bb5040f8efd5172f64e18e21 and callback_json_python3/Sample.py;
# those were not in the reference store, the vectors above are the same sample's.
TOKEN = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo"
AES_KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
CORP_ID = "ww1436e0e65a779aee"

VERIFY_SIG = "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb"
VERIFY_TS = "1476416373"
VERIFY_NONCE = "47744683"
VERIFY_ECHO = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA=="

XML_SIG = "0c3914025cb4b4d68103f6bfc8db550f79dcf48e"
XML_TS = "1476422779"
XML_NONCE = "1597212914"
XML_ENCRYPT = (
    "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTk"
    "AgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9"
    "U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR"
    "4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSD"
    "POYuPDGOCI8jmnKiypE+"
)
XML_PLAIN = (
    "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName>"
    "<CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content>"
    "<MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>"
)

JSON_SIG = "e3647471e395139e2308c1fa963f2d648a00b90e"
JSON_TS = "1409659813"
JSON_NONCE = "1372623149"
JSON_ENCRYPT = (
    "cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMVWriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv"
    "3EjVQ68C0cjw9frBoUE2Hj0BvFp9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/e"
    "QpzgeExtp20jI1HxRP1AAZ6xZoILdqDPO549LO4WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg"
    "4twjWp39KPfOdRte6P1T4JU="
)


@pytest.fixture
def crypto() -> WeComCrypto:
    return WeComCrypto(TOKEN, AES_KEY, CORP_ID)


def test_official_url_verification_answers_the_echostr(crypto: WeComCrypto) -> None:
    assert crypto.verify_url(VERIFY_SIG, VERIFY_TS, VERIFY_NONCE, VERIFY_ECHO) == "1288432023552776189"


def test_official_xml_callback_decrypts(crypto: WeComCrypto) -> None:
    assert crypto.open(XML_SIG, XML_TS, XML_NONCE, XML_ENCRYPT) == XML_PLAIN


def test_official_json_callback_decrypts(crypto: WeComCrypto) -> None:
    plain = crypto.open(JSON_SIG, JSON_TS, JSON_NONCE, JSON_ENCRYPT)
    # the sample's own plaintext is not well-formed JSON; its fields are still there
    assert plain.startswith('{ "ToUserName": "wx5823bf96d3bd56c7"')
    assert '"Content": "hello"' in plain and '"AgentID": 218' in plain


def test_signature_is_order_independent_sha1() -> None:
    assert signature(TOKEN, VERIFY_TS, VERIFY_NONCE, VERIFY_ECHO) == VERIFY_SIG
    assert signature(VERIFY_NONCE, VERIFY_ECHO, TOKEN, VERIFY_TS) == VERIFY_SIG


def test_round_trip_pads_to_32_byte_blocks(crypto: WeComCrypto) -> None:
    for size in (0, 1, 11, 12, 43, 44, 1000):
        message = "字" * size
        ciphertext = crypto.encrypt(message)

        assert len(base64.b64decode(ciphertext)) % 32 == 0
        assert crypto.decrypt(ciphertext) == message


def test_robot_receive_id_is_empty() -> None:
    robot = WeComCrypto(TOKEN, AES_KEY, "")
    body = json.dumps({"msgtype": "text"})
    assert robot.decrypt(robot.encrypt(body)) == body


def test_bad_signature_is_refused(crypto: WeComCrypto) -> None:
    with pytest.raises(CallbackRejected, match="bad signature"):
        crypto.open("0" * 40, XML_TS, XML_NONCE, XML_ENCRYPT)
    with pytest.raises(CallbackRejected, match="bad signature"):
        crypto.verify_url(VERIFY_SIG, VERIFY_TS, "47744684", VERIFY_ECHO)


def test_wrong_receive_id_is_refused() -> None:
    other = WeComCrypto(TOKEN, AES_KEY, "ww_another_corp")
    with pytest.raises(CallbackRejected, match="wrong receive id"):
        other.open(XML_SIG, XML_TS, XML_NONCE, XML_ENCRYPT)


def test_tampered_ciphertext_is_refused(crypto: WeComCrypto) -> None:
    tampered = "A" + XML_ENCRYPT[1:]
    with pytest.raises(CallbackRejected):
        crypto.decrypt(tampered)
    with pytest.raises(CallbackRejected):
        crypto.decrypt("not base64!!")


def test_stale_and_replayed_callbacks_are_refused() -> None:
    guard = ReplayGuard(max_age_s=300)
    now = 1_700_000_000.0
    guard.check("1700000000", "n1", now=now)
    with pytest.raises(CallbackRejected, match="replayed"):
        guard.check("1700000000", "n1", now=now + 1)
    with pytest.raises(CallbackRejected, match="stale"):
        guard.check("1699999000", "n2", now=now)
    with pytest.raises(CallbackRejected, match="stale"):
        guard.check("1700000400", "n3", now=now)  # from the future, beyond the window
    guard.check("1700000100", "n1", now=now + 100)  # same nonce, other timestamp: fine


def test_secrets_stay_out_of_repr(crypto: WeComCrypto) -> None:
    assert TOKEN not in repr(crypto) and AES_KEY not in repr(crypto)


def test_bad_key_is_refused_at_configuration() -> None:
    with pytest.raises(ValueError):
        WeComCrypto(TOKEN, "short", CORP_ID)
