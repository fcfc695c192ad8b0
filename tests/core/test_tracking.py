import random
import re

import pytest

from core.choices import Kind
from core.tracking import (
    ALPHABET,
    PREFIXES,
    RANDOM_CHARS,
    access_key_hash,
    access_key_matches,
    access_key_new,
    tracking_number_new,
    tracking_number_parse,
)

FORMAT = re.compile(r"^(CM|CR|SG|CD)-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


@pytest.mark.parametrize("kind", list(Kind))
def test_new_numbers_have_the_kind_prefix_and_parse_back_to_themselves(kind):
    number = tracking_number_new(kind)
    assert FORMAT.match(number), number
    assert number.startswith(PREFIXES[kind])
    assert tracking_number_parse(number) == number


def test_at_least_fifty_random_bits_and_no_sequence():
    assert RANDOM_CHARS * 5 >= 50
    numbers = {tracking_number_new(Kind.COMPLAINT) for _ in range(5_000)}
    assert len(numbers) == 5_000
    # Every random position takes many values: nothing is a counter or a date.
    bodies = [n.replace("-", "")[2:-1] for n in numbers]
    for position in range(RANDOM_CHARS):
        assert len({body[position] for body in bodies}) == 32


@pytest.mark.parametrize(
    "typed",
    [
        lambda n: n.lower(),
        lambda n: n.replace("-", ""),
        lambda n: n.replace("-", " "),
        lambda n: f"  {n.replace('-', '  ')}  ",
        lambda n: n.replace("0", "O").replace("1", "I"),
        lambda n: n.replace("1", "L").lower(),
        lambda n: n.replace("-", "").lower().replace("0", "o").replace("1", "l"),
    ],
)
def test_reading_is_forgiving_of_case_spacing_and_lookalikes(typed):
    for _ in range(200):
        number = tracking_number_new(Kind.COMPLAINT)
        assert tracking_number_parse(typed(number)) == number


def test_every_single_wrong_character_is_detected():
    rng = random.Random(2569)
    checked = 0
    for _ in range(300):
        compact = tracking_number_new(rng.choice(list(Kind))).replace("-", "")
        for position in range(len(compact)):
            for char in ALPHABET:
                if char == compact[position]:
                    continue
                wrong = compact[:position] + char + compact[position + 1:]
                assert tracking_number_parse(wrong) is None, (compact, wrong)
                checked += 1
    assert checked == 300 * 14 * 31


def test_adjacent_transpositions_are_mostly_detected():
    rng = random.Random(7)
    caught = total = 0
    for _ in range(2_000):
        compact = tracking_number_new(Kind.SUGGESTION).replace("-", "")
        position = rng.randrange(2, len(compact) - 1)
        if compact[position] == compact[position + 1]:
            continue
        swapped = compact[:position] + compact[position + 1] + compact[position] + compact[position + 2:]
        total += 1
        caught += tracking_number_parse(swapped) is None
    assert caught / total > 0.95


@pytest.mark.parametrize(
    "garbage",
    ["", " ", "CM", "CM-0000-0000-0000-0", "XX-1234-5678-9ABC", "CM-1234-5678-9AB!", "CM-UUUU-UUUU-UUUU",
     "ข้อร้องเรียน", "CM-" + "1" * 60, "../../etc/passwd", "CM-1234-5678-9ABC\x00"],
)
def test_malformed_numbers_parse_to_none(garbage):
    assert tracking_number_parse(garbage) is None


def test_access_key_has_140_random_bits_and_only_its_hash_is_kept():
    key, stored = access_key_new()
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{4}", key)  # 28 base32 chars = 140 bits
    assert key not in stored and stored == access_key_hash(key)
    assert access_key_matches(key, stored)
    assert not access_key_matches(key[:-1] + ("A" if key[-1] != "A" else "B"), stored)
    assert not access_key_matches("", stored)
    assert not access_key_matches(None, stored)
    assert len({access_key_new()[0] for _ in range(1_000)}) == 1_000


def test_access_key_is_read_forgivingly_like_a_tracking_number():
    key, stored = access_key_new()
    typed = " " + key.lower().replace("-", " ").replace("0", "o").replace("1", "l") + " "
    assert access_key_matches(typed, stored)
    assert not access_key_matches(key.replace("-", "")[:-1], stored)
