"""The pure value helpers (shared with the fake provider server): deterministic, safe, Hypothesis-free."""
from __future__ import annotations

import random
import re
import subprocess
import sys

from checkout_contracts.redact import find_pans, luhn_ok
from checkout_contracts.strategies import values as V
from checkout_contracts.strategies.draw import MAX, MIN, Draw, Except, ForcingDraw, RandomDraw


def test_luhn_and_masking():
    assert V.luhn_complete("492500000000000") == "4925000000000004"
    for prefix in ("4242424242424", "37828224631000", "601111111111111"):
        assert luhn_ok(V.luhn_complete(prefix))
    assert V.masked_pan("4925000000000004") == "492500******0004"
    assert V.masked_pan("378282246310005") == "378282*****0005"
    assert V.bin_of("492500******0004") == "492500"


def test_ids_have_their_documented_form_and_never_read_as_card_numbers():
    for seed in range(300):
        r = random.Random(seed)
        cid, cust, guid, card = V.new_checkout_id(r), V.new_customer_id(r), V.new_guid(r), V.new_card_id(r)
        assert re.fullmatch(r"[0-9a-f]{30}", cid) and re.fullmatch(r"[0-9a-f]{32}", cust)
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[ab][0-9a-f]{3}-[0-9a-f]{12}", guid)
        assert re.fullmatch(r"[A-Za-z]{15}", card)
        for text in (cid, cust, guid, V.safe_alnum(r, 29, "5001")):
            assert not re.search(r"[0-9]{13}", text) and not find_pans(text)
    # the smallest draws (what Hypothesis shrinks to) are safe too: all zeros, broken up by letters
    class Zero(Draw):
        def int(self, lo, hi, label=None):
            return lo
    assert V.hex_id(Zero(), 32) == "000000000000a000000000000a000000"
    assert V.new_guid(Zero()) == "00000000-0000-4000-a000-000000000000" and not find_pans(V.new_guid(Zero()))


def test_timestamps():
    assert V.iso7(1641542306, 1300282) == "2022-01-07T07:58:26.1300282Z"
    assert V.parse_iso("2022-01-07T07:58:26.1300282Z") == (1641542306, 1300282)
    assert V.paiwise_time(1681463198) == "2023-04-14 09:06:38"
    assert V.iso_millis(1655302375, 29) == "2022-06-15T14:12:55.029Z"
    assert V.expiry(1641542306, 11) == (12, 2022) and V.expiry(1641542306, 12) == (1, 2023)


def test_emails_and_text():
    assert V.email_for("Åsa", "Lindqvist") == "asa.lindqvist@example.com"
    assert len(V.fit("Test Purchase", 40)) == 40 and not V.fit("a b", 2).endswith(" ")
    assert re.fullmatch(r"\+467[0-9]{8}", V.msisdn(3))


def test_same_seed_same_values():
    a = [V.new_guid(random.Random(7)), V.test_pan(random.Random(7))[1]]
    b = [V.new_guid(random.Random(7)), V.test_pan(random.Random(7))[1]]
    assert a == b


def test_forcing_draw():
    f = ForcingDraw(RandomDraw(1), {"x": "b", "n": MAX, "m": MIN, "e": Except(("a", "b")), "s": ("c",), "p?": False},
                    presence=True)
    assert f.choice(("a", "b", "c"), "x") == "b" and f.choice(("a", "b", "c"), "e") == "c"
    assert f.int(0, 9, "n") == 9 and f.int(3, 9, "m") == 3
    assert f.choice(("a",), "x", quirks=("b",)) == "b"                      # a warned spelling, when asked for
    assert "c" in f.subset(("a", "b", "c"), "s") and f.flag("p?") is False and f.flag("q?") is True


def test_pure_modules_do_not_import_hypothesis():
    code = ("import sys; import checkout_contracts.strategies.values, checkout_contracts.lifecycles, "
            "checkout_contracts.strategies.lifecycle, checkout_contracts.strategies.mutation, checkout_contracts.strategies.edge, "
            "checkout_contracts.strategies.fixtures, checkout_contracts.strategies.coverage, checkout_contracts.cli.generate; "
            "from checkout_contracts.strategies import legal_step, PAIWISE_TRANSITIONS; "
            "assert 'hypothesis' not in sys.modules, 'hypothesis imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
