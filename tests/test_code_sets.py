"""The set codes behind the similarity's shared words, word pairs and numbers."""

from __future__ import annotations

import sys
import threading

from nato_compare.alignment import code_sets as codes
from nato_compare.normalize import normalize

TEXTS = [
    normalize(t)
    for t in (
        "NATO allies pledged €40 billion in military aid to Ukraine.",
        "Allies pledged 40 billion euros of military aid for Ukraine next year.",
        "The harvest festival drew record crowds to the village square.",
        "Rutte said the alliance has no plans to deploy forces in Ukraine.",
    )
]


def shared(strings: list[str], i: int, j: int) -> set[str]:
    return set(strings[i]) & set(strings[j])


def test_paraphrases_share_tokens_word_pairs_and_amounts_and_strangers_do_not() -> None:
    tokens, bigrams, numbers = codes.code_sets(TEXTS)
    assert len(shared(tokens, 0, 1)) >= 5 and len(shared(bigrams, 0, 1)) >= 2
    assert len(shared(numbers, 0, 1)) == 1  # "40" (€40 / 40 euros)
    assert not shared(tokens, 0, 2) and not shared(bigrams, 0, 2)


def test_a_full_cache_is_emptied_without_losing_a_text(monkeypatch) -> None:
    expected = codes.code_sets(TEXTS)
    monkeypatch.setattr(codes, "_CACHE", {})
    monkeypatch.setattr(codes, "CACHE_LIMIT", 3)
    codes.code_sets(TEXTS[:2])
    assert codes.code_sets(TEXTS[1:]) == tuple(part[1:] for part in expected)
    assert codes.code_sets(TEXTS) == expected  # more distinct texts than the cache holds


def test_threads_coding_new_words_at_once_give_every_word_its_own_code(monkeypatch) -> None:
    monkeypatch.setattr(codes, "_CACHE", {})
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns often: a race shows
    words = [[f"thread{t}word{i}" for i in range(5000)] for t in range(4)]
    results: dict[int, list[str]] = {}

    def code(t: int) -> None:
        results[t] = codes.code_sets([" ".join(words[t][i : i + 20]) for i in range(0, 5000, 20)])[
            0
        ]

    threads = [threading.Thread(target=code, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sys.setswitchinterval(switch)
    points = [p for t in range(4) for text in results[t] for p in text]
    assert len(points) == len(set(points)) == 20000


def test_word_pair_codes_are_the_same_in_every_process_whatever_it_saw_first() -> None:
    # worker processes see words in different orders; a pair of words must get one code in all
    # of them, or the evidence of a run would depend on how many processes it used
    import subprocess

    script = (
        "import sys\n"
        "from nato_compare.alignment import code_sets as codes\n"
        "from nato_compare.normalize import normalize\n"
        "if sys.argv[1] == 'other-first':\n"
        "    codes.code_sets([normalize('Harvest festival crowds filled the village square.')])\n"
        "_, bigrams, _ = codes.code_sets([normalize(sys.argv[2])])\n"
        "print([ord(c) for c in bigrams[0]])\n"
    )
    text = "Allies pledged 40 billion euros of military aid for Ukraine next year."
    found = {
        subprocess.run(
            [sys.executable, "-c", script, order, text], capture_output=True, text=True, check=True
        ).stdout
        for order in ("this-first", "other-first")
    }
    assert len(found) == 1 and found != {"[]\n"}, found
