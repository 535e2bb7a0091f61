import pytest

from omnicrm.core import crypto


@pytest.fixture(autouse=True)
def _keep_the_app_key():
    saved = crypto._fernet
    yield
    crypto._fernet = saved


def test_round_trip_and_ciphertext_hides_the_value():
    crypto.configure("key-one")
    stored = crypto.encrypt("000102030405060708090A0B0C0D0E0F")
    assert stored.startswith("enc1:") and "0A0B0C" not in stored
    assert crypto.decrypt(stored) == "000102030405060708090A0B0C0D0E0F"


def test_a_different_key_cannot_decrypt():
    crypto.configure("key-one")
    stored = crypto.encrypt("ki")
    crypto.configure("key-two")
    with pytest.raises(ValueError, match="wrong encryption_key"):
        crypto.decrypt(stored)
